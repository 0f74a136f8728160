"""Exchange rates by day: a price converts at the rate of its observation day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import case, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import FxRate, FxRateRecord


@dataclass(frozen=True, slots=True)
class Rate:
    currency: str
    day: date
    usd_per_unit: Decimal


# A rate from a better source is never replaced by one from a worse: the shipped
# quarterly table only fills days the ECB has not published.
SOURCE_RANK = {"shipped": 0}
_DEFAULT_RANK = 1


def _rank(source: str) -> int:
    return SOURCE_RANK.get(source, _DEFAULT_RANK)


async def upsert_rates(session: AsyncSession, rates: Sequence[Rate], source: str) -> None:
    """Records every rate in the history and makes it the rate in force for its day,
    unless a better source already set that day."""
    if not rates:
        return
    rows = [
        {"currency": r.currency, "day": r.day, "usd_per_unit": r.usd_per_unit, "source": source}
        for r in rates
    ]
    history = insert(FxRateRecord).values(rows)
    await session.execute(history.on_conflict_do_nothing())
    statement = insert(FxRate).values(rows)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[FxRate.currency, FxRate.day],
            set_={"usd_per_unit": statement.excluded.usd_per_unit, "source": source},
            where=case(
                *(
                    (FxRate.source == name, rank <= _rank(source))
                    for name, rank in SOURCE_RANK.items()
                ),
                else_=_rank(source) >= _DEFAULT_RANK,
            ),
        )
    )


async def known_currencies(session: AsyncSession) -> list[str]:
    result = await session.scalars(text("SELECT DISTINCT currency FROM fx_rates ORDER BY 1"))
    return ["USD", *(c for c in result if c != "USD")]
