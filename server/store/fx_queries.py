"""Exchange rates for many days in one statement (the API converts whole pages at once)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import Date, literal, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import func

from server.models import FxRate
from server.store.errors import StoreError


class UnknownRateError(StoreError):
    code = "UNKNOWN_CURRENCY"

    def __init__(self, currency: str, day: date) -> None:
        super().__init__(f"no {currency} rate on or before {day.isoformat()}")
        self.currency = currency
        self.day = day


async def usd_per_unit_on_days(
    session: AsyncSession, currency: str, days: Sequence[date]
) -> dict[date, Decimal]:
    """The rate of each day, or of the closest earlier day (markets close on weekends);
    days without one are left out. USD is 1 without a lookup."""
    if currency == "USD":
        return dict.fromkeys(days, Decimal(1))
    wanted = (
        func.unnest(literal(list(days), ARRAY(Date))).table_valued("day").render_derived(name="d")
    )
    rate = (
        select(FxRate.usd_per_unit)
        .where(FxRate.currency == currency, FxRate.day <= wanted.c.day)
        .order_by(FxRate.day.desc())
        .limit(1)
        .scalar_subquery()
    )
    result = await session.execute(select(wanted.c.day, rate).select_from(wanted))
    return {day: value for day, value in result if value is not None}
