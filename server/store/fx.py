"""Exchange rates by day: a price converts at the rate of its observation day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import FxRate


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


async def known_currencies(session: AsyncSession) -> list[str]:
    result = await session.scalars(text("SELECT DISTINCT currency FROM fx_rates ORDER BY 1"))
    return ["USD", *(c for c in result if c != "USD")]
