"""Exchange rates by day: a price converts at the rate of its observation day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import FxRate
from server.store.errors import StoreError


class UnknownRateError(StoreError):
    code = "UNKNOWN_CURRENCY"

    def __init__(self, currency: str, day: date) -> None:
        super().__init__(f"no {currency} rate on or before {day.isoformat()}")
        self.currency = currency
        self.day = day


@dataclass(frozen=True, slots=True)
class Rate:
    currency: str
    day: date
    usd_per_unit: Decimal


async def upsert_rates(session: AsyncSession, rates: Sequence[Rate], source: str) -> None:
    if not rates:
        return
    rows = [
        {"currency": r.currency, "day": r.day, "usd_per_unit": r.usd_per_unit, "source": source}
        for r in rates
    ]
    statement = insert(FxRate).values(rows)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[FxRate.currency, FxRate.day],
            set_={"usd_per_unit": statement.excluded.usd_per_unit, "source": source},
        )
    )


async def usd_per_unit(session: AsyncSession, currency: str, day: date) -> Decimal:
    """The rate of `day`, or of the closest earlier day (markets close on weekends)."""
    if currency == "USD":
        return Decimal(1)
    rate = await session.scalar(
        select(FxRate.usd_per_unit)
        .where(FxRate.currency == currency, FxRate.day <= day)
        .order_by(FxRate.day.desc())
        .limit(1)
    )
    if rate is None:
        raise UnknownRateError(currency, day)
    return rate


async def known_currencies(session: AsyncSession) -> list[str]:
    result = await session.scalars(text("SELECT DISTINCT currency FROM fx_rates ORDER BY 1"))
    return ["USD", *(c for c in result if c != "USD")]


async def usd_per_unit_on_days(
    session: AsyncSession, currency: str, days: Sequence[date]
) -> dict[date, Decimal]:
    """`usd_per_unit` for many days in one statement; days without a rate are left out."""
    if currency == "USD":
        return dict.fromkeys(days, Decimal(1))
    result = await session.execute(
        text(
            """
            SELECT d.day, r.usd_per_unit
            FROM unnest(CAST(:days AS date[])) AS d(day)
            CROSS JOIN LATERAL (
                SELECT usd_per_unit FROM fx_rates
                WHERE currency = :currency AND day <= d.day
                ORDER BY day DESC LIMIT 1
            ) AS r
            """
        ),
        {"currency": currency, "days": list(days)},
    )
    return {row[0]: row[1] for row in result}
