"""Builds a small market in the database: minifigures, sales, asks and daily medians.

Times are relative to today (UTC) because windows such as "the last 7 days" are.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Condition, ListingKind
from server.store.catalog import upsert_minifigures
from server.store.listings import insert_listings
from tests.factories import catalog_entry, listing


def today() -> date:
    return datetime.now(UTC).date()


def day_ago(days: int) -> date:
    return today() - timedelta(days=days)


def noon_ago(days: int, hour: int = 12) -> datetime:
    return datetime.combine(day_ago(days), time(hour), tzinfo=UTC)


async def add_figures(session: AsyncSession, *specs: dict[str, Any]) -> dict[str, uuid.UUID]:
    """Each spec is a catalog entry's fields; `fig_num` is required."""
    return await upsert_minifigures(session, [catalog_entry(**spec) for spec in specs])


async def add_listings(
    session: AsyncSession,
    minifigure_id: uuid.UUID,
    prices: list[tuple[datetime, str]],
    *,
    kind: ListingKind = ListingKind.SOLD,
    condition: Condition = Condition.USED,
    **overrides: Any,
) -> None:
    await insert_listings(
        session,
        [
            listing(
                minifigure_id,
                f"{minifigure_id.hex[:8]}-{kind}-{condition}-{at.isoformat()}-{i}",
                observed_at=at,
                price_usd=Decimal(price),
                kind=kind,
                condition=condition,
                **overrides,
            )
            for i, (at, price) in enumerate(prices)
        ],
    )


_SNAPSHOT = text(
    """
    INSERT INTO price_snapshots (minifigure_id, day, condition, min_usd, max_usd, median_usd,
                                 sold_count, sold_quantity, sources_count)
    VALUES (:minifigure_id, :day, :condition, :median, :median, :median, :sold_count,
            :sold_count, 1)
    """
)


async def add_medians(
    session: AsyncSession,
    minifigure_id: uuid.UUID,
    medians: dict[int, str],
    condition: Condition = Condition.USED,
    sold_count: int = 1,
) -> None:
    """`medians` maps days ago to the snapshot median of that day (rows seeded as they are,
    without listings behind them)."""
    for days, median in medians.items():
        await session.execute(
            _SNAPSHOT,
            {
                "minifigure_id": minifigure_id,
                "day": day_ago(days),
                "condition": condition.value,
                "median": Decimal(median),
                "sold_count": sold_count,
            },
        )
