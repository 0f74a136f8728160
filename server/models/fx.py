"""Daily exchange rates: prices convert at the rate of their observation day."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, DateTime, Numeric, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base


class FxRate(Base):
    """The rate in force for a currency and day (the best source's, see server/store/fx.py)."""

    __tablename__ = "fx_rates"
    __table_args__ = (
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_iso"),
        CheckConstraint("usd_per_unit > 0", name="rate_positive"),
    )

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    usd_per_unit: Mapped[Decimal] = mapped_column(Numeric(18, 8))
    source: Mapped[str] = mapped_column(Text, server_default="shipped")


class FxRateRecord(Base):
    """Every rate ever imported, by source, kept when a later import supersedes it."""

    __tablename__ = "fx_rate_history"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    source: Mapped[str] = mapped_column(Text, primary_key=True)
    usd_per_unit: Mapped[Decimal] = mapped_column(Numeric(18, 8), primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
