"""Provenance: every observation as a source reported it, accepted or rejected."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Identity, Index, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base


class RawObservation(Base):
    """One distinct payload of one observation; seen again, only `last_received_at` moves.

    `observation` holds the adapter's Observation (values still in the source's currency
    and vocabulary, the raw API item inside), so `stonks reprocess` can run the pipeline
    on it again. Kept for RAW_RETENTION_DAYS after it was last received.
    """

    __tablename__ = "raw_observations"
    __table_args__ = (
        UniqueConstraint("source", "external_id", "observed_key", "digest", name="uq_raw_payload"),
        Index("ix_raw_observations_source_last_received_at", "source", "last_received_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    external_id: Mapped[str] = mapped_column(Text)
    # The observation time as reported (ISO text: a naive or missing time is kept too).
    observed_key: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(Text)
    observation: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # "accepted", or "rejected" with the validation's reason (e.g. `invalid_price`).
    status: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    sync_run_id: Mapped[int | None] = mapped_column(BigInteger)
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    last_received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
