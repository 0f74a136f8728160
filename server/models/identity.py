"""Catalog identity: the crosswalk between catalogs, and the record of merged duplicates."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Identity, Integer, Text, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base


class CrosswalkEntry(Base):
    """Rebrickable's fig id -> the BrickLink item number the catalog keys that figure by."""

    __tablename__ = "catalog_crosswalk"

    rebrickable_id: Mapped[str] = mapped_column(Text, primary_key=True)
    fig_num: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class MinifigureMerge(Base):
    """Two catalog rows found to be one figure: `merged` was folded into `into` (kept)."""

    __tablename__ = "minifigure_merges"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    merged_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    merged_fig_num: Mapped[str] = mapped_column(Text)
    into_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    into_fig_num: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    listings_moved: Mapped[int] = mapped_column(Integer)
    merged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
