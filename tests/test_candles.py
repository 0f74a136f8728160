"""Candles from the daily continuous aggregate equal candles from raw listings.

One dataset (ties in time, excluded listings, both kinds and conditions, materialized
days, real-time days and a backfill behind the watermark), every width, both sources.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from server import migrations
from server.db import async_url
from server.embedded import embedded_postgres
from server.models import Condition, ListingKind
from server.store import candles
from server.store.candles import CandleSource, CandleWidth, InvalidCandleWidthError
from server.store.catalog import upsert_minifigures
from server.store.listings import NewListing, insert_listings
from server.store.prices_queries import CandleRow
from tests import factories
from tests.conftest import REQUIRE_TIMESCALEDB
from tests.databases import create_database, drop_database

TODAY = datetime.combine(datetime.now(UTC).date(), time(), tzinfo=UTC)
WIDTHS = [
    candles.HOUR,
    candles.DAY,
    candles.WEEK,
    candles.MONTH,
    CandleWidth.parse("PT4H"),
    CandleWidth.parse("P3D"),
    CandleWidth.parse("P10D"),
]
RANGES = [
    (TODAY - timedelta(days=120), TODAY + timedelta(days=1)),
    (TODAY - timedelta(days=45), TODAY - timedelta(days=5)),
    # Starts mid-day: only raw listings can answer.
    (TODAY - timedelta(days=30, hours=7), TODAY + timedelta(days=1)),
]


@pytest.fixture
async def timescale_engine(postgres_admin_url: str) -> AsyncIterator[AsyncEngine]:
    url = await create_database(postgres_admin_url, prefix="stonks_candles")
    try:
        await asyncio.to_thread(migrations.upgrade, url)
        engine = create_async_engine(async_url(url))
        yield engine
        await engine.dispose()
    finally:
        await drop_database(postgres_admin_url, url)


def _listings(ids: list[uuid.UUID], first_day: int, last_day: int, seed: int) -> list[NewListing]:
    """Prices on days TODAY-first_day .. TODAY-last_day, some sharing a timestamp."""
    rng = random.Random(seed)
    made: list[NewListing] = []
    for age in range(first_day, last_day - 1, -1):
        for minifigure_id in ids:
            moments = [
                TODAY - timedelta(days=age) + timedelta(minutes=rng.randrange(24 * 60))
                for _ in range(rng.randrange(6))
            ]
            moments += moments[:1]  # same minute twice: the id breaks the tie
            for moment in moments:
                made.append(
                    factories.listing(
                        minifigure_id,
                        f"x-{seed}-{len(made)}",
                        observed_at=moment,
                        kind=rng.choice([ListingKind.SOLD, ListingKind.SOLD, ListingKind.ASK]),
                        condition=rng.choice(list(Condition)),
                        quantity=rng.randint(1, 3),
                        price_usd=Decimal(rng.randrange(500, 5000)) / 100,
                        excluded_reason="outlier" if rng.random() < 0.1 else None,
                    )
                )
    return made


async def _history(
    engine: AsyncEngine, ids: list[uuid.UUID], source: CandleSource
) -> dict[tuple[object, ...], dict[uuid.UUID, list[CandleRow]]]:
    answers: dict[tuple[object, ...], dict[uuid.UUID, list[CandleRow]]] = {}
    async with AsyncSession(engine) as session:
        for width in WIDTHS:
            for start, end in RANGES:
                for condition in Condition:
                    for kind in ListingKind:
                        found = await candles.price_history(
                            session,
                            ids,
                            start=start,
                            end=end,
                            width=width,
                            condition=condition,
                            kind=kind,
                            source=source,
                        )
                        answers[(width, start, condition, kind)] = dict(found)
    return answers


async def _refresh(engine: AsyncEngine, end: datetime) -> None:
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(
            text(
                "CALL refresh_continuous_aggregate("
                "'price_candles_daily', NULL, CAST(:end AS timestamptz))"
            ),
            {"end": end},
        )


async def test_aggregate_and_raw_listings_give_the_same_candles(
    timescale_engine: AsyncEngine,
) -> None:
    async with AsyncSession(timescale_engine) as session:
        source = await candles.detect_candle_source(session)
    if source is not CandleSource.DAILY_AGGREGATE:
        if REQUIRE_TIMESCALEDB:
            pytest.fail("no daily-candle aggregate, and REQUIRE_TIMESCALEDB=1")
        pytest.skip("needs TimescaleDB's Community edition")
    async with AsyncSession(timescale_engine) as session:
        entries = [factories.catalog_entry(f"sw000{n}") for n in range(1, 4)]
        ids = list((await upsert_minifigures(session, entries)).values())
        await insert_listings(session, _listings(ids, 120, 0, seed=1))
        await session.commit()
    # As the refresh policy would: days before 20 days ago materialized, the rest real-time.
    await _refresh(timescale_engine, TODAY - timedelta(days=20))
    # A backfill behind the watermark, materialized as the aggregation job does.
    async with AsyncSession(timescale_engine) as session:
        await insert_listings(session, _listings(ids, 60, 40, seed=2))
        await session.commit()
    async with AsyncSession(timescale_engine) as session:
        await candles.refresh_daily_candles(
            session, (TODAY - timedelta(days=60)).date(), (TODAY - timedelta(days=40)).date()
        )

    from_raw = await _history(timescale_engine, ids, CandleSource.RAW_LISTINGS)
    from_aggregate = await _history(timescale_engine, ids, CandleSource.DAILY_AGGREGATE)

    assert from_aggregate == from_raw
    week = from_raw[(candles.WEEK, RANGES[0][0], Condition.USED, ListingKind.SOLD)]
    assert sum(len(rows) for rows in week.values()) >= 3 * 16

    # Proof the aggregate answered: raw listings behind the watermark gone, candles stay.
    async with timescale_engine.begin() as connection:
        await connection.execute(
            text("DELETE FROM price_listings WHERE observed_at < :end"),
            {"end": TODAY - timedelta(days=20)},
        )
    after = await _history(timescale_engine, ids, CandleSource.DAILY_AGGREGATE)
    assert (
        after[(candles.MONTH, RANGES[0][0], Condition.NEW, ListingKind.SOLD)]
        == from_raw[(candles.MONTH, RANGES[0][0], Condition.NEW, ListingKind.SOLD)]
    )


async def test_plain_postgresql_reads_candles_from_raw_listings(tmp_path: Path) -> None:
    with embedded_postgres(tmp_path) as url:
        await asyncio.to_thread(migrations.upgrade, url)
        engine = create_async_engine(async_url(url))
        try:
            async with AsyncSession(engine) as session:
                assert await candles.detect_candle_source(session) is CandleSource.RAW_LISTINGS
                ids = list(
                    (await upsert_minifigures(session, [factories.catalog_entry()])).values()
                )
                await insert_listings(session, _listings(ids, 10, 0, seed=3))
                await session.commit()
                found = await candles.price_history(
                    session,
                    ids,
                    start=TODAY - timedelta(days=10),
                    end=TODAY + timedelta(days=1),
                    width=CandleWidth.parse("P3D"),
                    condition=Condition.USED,
                    kind=ListingKind.SOLD,
                    source=CandleSource.RAW_LISTINGS,
                )
        finally:
            await engine.dispose()
    starts = [row.bucket for row in found[ids[0]]]
    # Three-day buckets aligned on Monday 2000-01-03, like TimescaleDB's time_bucket.
    assert all(
        (start - candles.BUCKET_ORIGIN) % timedelta(days=3) == timedelta(0) for start in starts
    )
    assert len(starts) >= 3


@pytest.mark.parametrize(
    ("duration", "width"),
    [
        ("PT4H", timedelta(hours=4)),
        ("p3d", timedelta(days=3)),
        ("P2W", timedelta(days=14)),
        ("PT90M", timedelta(minutes=90)),
        ("P1DT12H", timedelta(days=1, hours=12)),
    ],
)
def test_free_widths_parse_as_iso_8601_durations(duration: str, width: timedelta) -> None:
    assert CandleWidth.parse(duration).step == width


@pytest.mark.parametrize("duration", ["P1M", "P1Y", "PT0S", "PT30S", "-PT1H", "4h", "P400D", ""])
def test_unusable_widths_are_refused(duration: str) -> None:
    with pytest.raises(InvalidCandleWidthError):
        CandleWidth.parse(duration)
