"""Candles from the daily continuous aggregate against candles from raw listings.

Run: `uv run python bench/candles.py [DATABASE_URL]` (default: the local PostgreSQL, which
must run TimescaleDB's Community edition). Creates a scratch database, stores two years of
sales for a page of minifigures, materializes the aggregate as its refresh policy would,
then times `server.store.candles.price_history` for the same page and year from both
sources. The raw-listings time of the same width is the reference of each row.

Absolute times drift between machines (and this one is shared); compare the ratios.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from datetime import time as clock

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from server import migrations
from server.db import async_url
from server.models import Condition, ListingKind
from server.store import candles
from server.store.candles import CandleSource, CandleWidth
from tests.databases import create_database, drop_database

FIGURES = 20
DAYS = 730
PER_DAY = 12
ROUNDS = 7

_FILL = text(
    """
    WITH figures AS (
        INSERT INTO minifigures (fig_num, name)
        SELECT 'sw' || lpad(n::text, 4, '0') || 'a', 'Figure ' || n
        FROM generate_series(1, :figures) AS n
        RETURNING id
    )
    INSERT INTO price_listings (observed_at, minifigure_id, source, external_id, kind,
                                condition, quantity, price_usd, original_price,
                                original_currency, fx_rate)
    SELECT now() - make_interval(mins => g * (1440 / CAST(:per_day AS int))), f.id, 'demo',
           f.id || '-' || g, 'SOLD', CASE WHEN g % 3 = 0 THEN 'NEW' ELSE 'USED' END,
           1 + g % 3, 10 + (g * 7919 % 4000) / 100.0, 10, 'USD', 1
    FROM figures AS f, generate_series(1, CAST(:days AS int) * CAST(:per_day AS int)) AS g
    """
)


async def _median_seconds(action: Callable[[], Awaitable[object]]) -> float:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        await action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def _fill(engine: AsyncEngine) -> list[object]:
    async with engine.begin() as connection:
        await connection.execute(_FILL, {"figures": FIGURES, "days": DAYS, "per_day": PER_DAY})
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(
            text("CALL refresh_continuous_aggregate('price_candles_daily', NULL, now())")
        )
        await autocommit.execute(text("ANALYZE"))
        ids = (await connection.execute(text("SELECT id FROM minifigures"))).scalars().all()
    return list(ids)


async def _report(engine: AsyncEngine, ids: list[object]) -> None:
    end = datetime.combine(datetime.now(UTC).date() + timedelta(days=1), clock(), UTC)
    start = end - timedelta(days=365)
    widths = {
        "DAY": candles.DAY,
        "WEEK": candles.WEEK,
        "MONTH": candles.MONTH,
        "P3D": CandleWidth.parse("P3D"),
    }
    print(
        f"{FIGURES} minifigures x {DAYS} days x {PER_DAY} sales/day; one year of USED sales "
        f"for all {FIGURES} in one call; median of {ROUNDS} runs"
    )
    print(f"{'width':6s} {'raw listings':>14s} {'aggregate':>11s} {'ratio':>7s}")
    for name, width in widths.items():
        seconds = {}
        for source in CandleSource:

            async def history(source: CandleSource = source, width: CandleWidth = width) -> object:
                async with AsyncSession(engine) as session:
                    return await candles.price_history(
                        session,
                        ids,  # type: ignore[arg-type]
                        start=start,
                        end=end,
                        width=width,
                        condition=Condition.USED,
                        kind=ListingKind.SOLD,
                        source=source,
                    )

            seconds[source] = await _median_seconds(history)
        raw = seconds[CandleSource.RAW_LISTINGS]
        aggregate = seconds[CandleSource.DAILY_AGGREGATE]
        print(f"{name:6s} {raw * 1000:11.1f} ms {aggregate * 1000:8.1f} ms {aggregate / raw:6.2f}x")


async def main(admin_url: str) -> None:
    url = await create_database(admin_url, prefix="stonks_bench_candles")
    try:
        await asyncio.to_thread(migrations.upgrade, url)
        engine = create_async_engine(async_url(url))
        try:
            await _report(engine, await _fill(engine))
        finally:
            await engine.dispose()
    finally:
        await drop_database(admin_url, url)


if __name__ == "__main__":
    asyncio.run(
        main(sys.argv[1] if len(sys.argv) > 1 else "postgresql://postgres@127.0.0.1:5432/postgres")
    )
