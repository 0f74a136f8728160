"""Price observations (the hypertable) and their daily roll-ups."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base


class ListingKind(StrEnum):
    SOLD = "SOLD"
    ASK = "ASK"


class Condition(StrEnum):
    NEW = "NEW"
    USED = "USED"


MONEY = Numeric(12, 2)

# The `excluded_reason` of a price far from its peers' recent median (the pipeline's
# statistical test). Unlike the title rules (lots, parts, customs), the offer itself is
# the figure: an ask far under the others is left out of statistics, yet is a deal.
OUTLIER = "outlier"


class PriceListing(Base):
    """One observed price. `observed_at` is the sale date for SOLD, the sighting for ASK.

    TimescaleDB partitions this table on `observed_at`, so every unique key includes it.
    """

    __tablename__ = "price_listings"
    __table_args__ = (
        UniqueConstraint("source", "external_id", "observed_at", name="uq_price_listings_dedupe"),
        CheckConstraint("kind IN ('SOLD', 'ASK')", name="kind_known"),
        CheckConstraint("condition IN ('NEW', 'USED')", name="condition_known"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("price_usd >= 0", name="price_positive"),
        CheckConstraint("confidence BETWEEN 0 AND 1", name="confidence_unit"),
        CheckConstraint("original_currency ~ '^[A-Z]{3}$'", name="currency_iso"),
        Index(
            "ix_price_listings_minifigure_observed_at",
            "minifigure_id",
            text("observed_at DESC"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    observed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    minifigure_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("minifigures.id", ondelete="CASCADE")
    )
    source: Mapped[str] = mapped_column(Text, ForeignKey("data_sources.code"))
    external_id: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    condition: Mapped[str] = mapped_column(Text)
    quantity: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    price_usd: Mapped[Decimal] = mapped_column(MONEY)
    shipping_usd: Mapped[Decimal | None] = mapped_column(MONEY)
    original_price: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    original_currency: Mapped[str] = mapped_column(String(3))
    fx_rate: Mapped[Decimal] = mapped_column(Numeric(18, 8))
    seller_name: Mapped[str | None] = mapped_column(Text)
    seller_country: Mapped[str | None] = mapped_column(String(2))
    confidence: Mapped[float] = mapped_column(Float, server_default=text("1"))
    excluded_reason: Mapped[str | None] = mapped_column(Text)
    raw: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    ingested_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class PriceSnapshot(Base):
    """One minifigure x day x condition. Recomputed from listings (upsert), never incremented.

    The price columns (min .. weighted_mean) are of included sales only; asks have their own.
    """

    __tablename__ = "price_snapshots"
    __table_args__ = (
        CheckConstraint("condition IN ('NEW', 'USED')", name="condition_known"),
        CheckConstraint(
            "sold_count >= 0 AND ask_count >= 0 AND excluded_count >= 0", name="counts_positive"
        ),
        Index("ix_price_snapshots_day", "day"),
    )

    minifigure_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("minifigures.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    condition: Mapped[str] = mapped_column(Text, primary_key=True)
    min_usd: Mapped[Decimal | None] = mapped_column(MONEY)
    max_usd: Mapped[Decimal | None] = mapped_column(MONEY)
    mean_usd: Mapped[Decimal | None] = mapped_column(MONEY)
    median_usd: Mapped[Decimal | None] = mapped_column(MONEY)
    p25_usd: Mapped[Decimal | None] = mapped_column(MONEY)
    p75_usd: Mapped[Decimal | None] = mapped_column(MONEY)
    weighted_mean_usd: Mapped[Decimal | None] = mapped_column(MONEY)
    lowest_ask_usd: Mapped[Decimal | None] = mapped_column(MONEY)
    ask_median_usd: Mapped[Decimal | None] = mapped_column(MONEY)
    sold_count: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    ask_count: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    excluded_count: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    sold_quantity: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    sources_count: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    by_source: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    computed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
