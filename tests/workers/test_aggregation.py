"""Daily snapshots computed in SQL: exact statistics, idempotent, safe when concurrent."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Condition, ListingKind, PriceSnapshot
from server.store.aggregation import recompute_snapshots
from server.store.catalog import upsert_minifigures
from server.store.listings import insert_listings
from tests.factories import catalog_entry, listing
from workers.context import Services

DAY = date(2026, 11, 1)


def _at(hour: int, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


async def _figure(services: Services, fig_num: str = "sw0001a") -> uuid.UUID:
    async with services.session_factory() as session, session.begin():
        ids = await upsert_minifigures(session, [catalog_entry(fig_num)])
    return ids[fig_num]


async def _store(services: Services, rows: list[Any]) -> None:
    async with services.session_factory() as session, session.begin():
        await insert_listings(session, rows)


async def _snapshots(session: AsyncSession) -> list[tuple[Any, ...]]:
    result = await session.execute(
        text(
            "SELECT minifigure_id, day, condition, min_usd, max_usd, mean_usd, median_usd, "
            "p25_usd, p75_usd, weighted_mean_usd, sold_count, ask_count, excluded_count, "
            "sold_quantity, sources_count, by_source FROM price_snapshots ORDER BY 1, 2, 3"
        )
    )
    return [tuple(row) for row in result]


async def test_statistics_of_a_day(services: Services, db: AsyncSession) -> None:
    figure = await _figure(services)
    usd = Decimal
    await _store(
        services,
        [
            listing(figure, "a", price_usd=usd("10.00"), observed_at=_at(1)),
            listing(figure, "b", price_usd=usd("20.00"), quantity=3, observed_at=_at(2)),
            listing(figure, "c", price_usd=usd("30.00"), observed_at=_at(3)),
            listing(
                figure,
                "d",
                source="ebay",
                kind=ListingKind.ASK,
                price_usd=usd("40.00"),
                observed_at=_at(4),
            ),
            listing(
                figure, "e", price_usd=usd("1000.00"), excluded_reason="lot", observed_at=_at(5)
            ),
            listing(
                figure, "f", condition=Condition.NEW, price_usd=usd("55.00"), observed_at=_at(6)
            ),
            # The next day, and the same UTC day late in the evening in New York.
            listing(figure, "g", price_usd=usd("99.00"), observed_at=_at(0, DAY + timedelta(1))),
        ],
    )

    async with services.session_factory() as session, session.begin():
        keys = await recompute_snapshots(session, [(figure, DAY)])

    assert [(k.day, k.condition) for k in keys] == [(DAY, "NEW"), (DAY, "USED")]
    used = await db.scalar(
        select(PriceSnapshot).where(PriceSnapshot.condition == "USED", PriceSnapshot.day == DAY)
    )
    assert used is not None
    # Price figures are of the included sales only: the $40 ask and the $1000 lot are out.
    assert (used.min_usd, used.max_usd, used.mean_usd, used.median_usd) == (
        usd("10.00"),
        usd("30.00"),
        usd("20.00"),
        usd("20.00"),
    )
    assert (used.p25_usd, used.p75_usd, used.weighted_mean_usd) == (
        usd("15.00"),
        usd("25.00"),
        usd("20.00"),
    )
    assert (used.lowest_ask_usd, used.ask_median_usd) == (usd("40.00"), usd("40.00"))
    assert (used.sold_count, used.ask_count, used.excluded_count, used.sold_quantity) == (
        3,
        1,
        1,
        5,
    )
    assert used.sources_count == 2
    assert used.by_source["bricklink"] == {
        "count": 3,
        "sold": 3,
        "ask": 0,
        "min": 10.0,
        "max": 30.0,
        "median": 20.0,
        "lowest_ask": None,
        "ask_median": None,
    }
    assert used.by_source["ebay"] == {
        "count": 1,
        "sold": 0,
        "ask": 1,
        "min": None,
        "max": None,
        "median": None,
        "lowest_ask": 40.0,
        "ask_median": 40.0,
    }
    assert (
        await db.scalar(select(PriceSnapshot).where(PriceSnapshot.day == DAY + timedelta(1)))
        is None
    )


async def test_recompute_twice_gives_the_same_rows(services: Services, db: AsyncSession) -> None:
    figure = await _figure(services)
    await _store(services, [listing(figure, f"x{i}", observed_at=_at(i)) for i in range(5)])

    async with services.session_factory() as session, session.begin():
        await recompute_snapshots(session, [(figure, DAY)])
    first = await _snapshots(db)
    async with services.session_factory() as session, session.begin():
        await recompute_snapshots(session, [(figure, DAY), (figure, DAY)])
    await db.rollback()
    assert await _snapshots(db) == first
    assert first[0][10] == 5  # sold_count: counted once, not incremented


async def test_concurrent_recomputes_neither_deadlock_nor_double_count(
    services: Services, db: AsyncSession
) -> None:
    figures = [await _figure(services, f"sw{n:04d}") for n in range(1, 7)]
    days = [DAY + timedelta(days=d) for d in range(4)]
    await _store(
        services,
        [
            listing(f, f"{f}-{d}-{i}", observed_at=_at(i + 1, d), price_usd=Decimal(5 + i))
            for f in figures
            for d in days
            for i in range(3)
        ],
    )
    pairs = [(f, d) for f in figures for d in days]

    async def recompute(order: list[tuple[uuid.UUID, date]]) -> None:
        async with services.session_factory() as session, session.begin():
            await recompute_snapshots(session, order)

    # Overlapping batches in opposite orders: the classic deadlock shape.
    await asyncio.gather(
        *(recompute(pairs[i::2] if i % 2 else list(reversed(pairs))) for i in range(8))
    )
    concurrent = await _snapshots(db)
    await recompute(pairs)
    await db.rollback()
    serial = await _snapshots(db)

    assert concurrent == serial
    assert len(serial) == len(pairs)
    assert {row[10] for row in serial} == {3}
