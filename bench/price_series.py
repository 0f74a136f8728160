"""How much a long price series costs per representation, as ratios to raw asyncpg.

Run: `uv run python bench/price_series.py [DATABASE_URL]` (default: the local PostgreSQL).
Creates a scratch database, fills one minifigure with N observations, then times:

  listings   raw asyncpg fetch  vs  store rows (Core -> NamedTuple)  vs  ORM objects
  history    store rows (candles bucketed in SQL)  vs  the whole GraphQL request

Absolute times drift between machines; the ratios are what to compare.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import asyncpg
import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from server import migrations
from server.app import create_app
from server.db import async_url
from server.models import Condition, ListingKind, PriceListing
from server.settings import Settings
from server.store.candles import DAY, CandleSource, price_history
from server.store.catalog import CatalogEntry, upsert_minifigures
from server.store.listings import NewListing, insert_listings
from server.store.prices_queries import ListingFilter, listing_pages
from tests.databases import create_database, drop_database

OBSERVATIONS = 20_000
DAYS = 1_500
ROUNDS = 7


async def _best(action: Callable[[], Awaitable[object]]) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        await action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def _fill(session: AsyncSession) -> None:
    ids = await upsert_minifigures(session, [CatalogEntry("sw0001a", "Luke Skywalker")])
    start = datetime.now(UTC) - timedelta(days=DAYS)
    step = timedelta(days=DAYS) / OBSERVATIONS
    batch = [
        NewListing(
            minifigure_id=ids["sw0001a"],
            source="bricklink",
            external_id=f"b{i}",
            observed_at=start + i * step,
            kind=ListingKind.SOLD,
            condition=Condition.USED,
            price_usd=Decimal(10 + i % 17),
            original_price=Decimal(10 + i % 17),
            original_currency="USD",
            fx_rate=Decimal(1),
        )
        for i in range(OBSERVATIONS)
    ]
    for offset in range(0, len(batch), 5_000):
        await insert_listings(session, batch[offset : offset + 5_000])
    await session.commit()


async def main(admin_url: str) -> None:
    url = await create_database(admin_url, prefix="stonks_bench")
    try:
        await asyncio.to_thread(migrations.upgrade, url)
        engine = create_async_engine(async_url(url))
        raw = await asyncpg.connect(url)
        try:
            async with AsyncSession(engine) as session:
                await _fill(session)
                luke = await session.scalar(select(PriceListing.minifigure_id).limit(1))
                assert luke is not None
            await _report(engine, raw, luke, url)
        finally:
            await raw.close()
            await engine.dispose()
    finally:
        await drop_database(admin_url, url)


async def _report(engine: AsyncEngine, raw: asyncpg.Connection, luke: uuid.UUID, url: str) -> None:
    end = datetime.now(UTC) + timedelta(days=1)
    start = end - timedelta(days=DAYS)

    async def store_listings() -> object:
        async with AsyncSession(engine) as session:
            return await listing_pages(
                session, [luke], ListingFilter(), after=None, limit=OBSERVATIONS
            )

    async def orm_listings() -> object:
        async with AsyncSession(engine) as session:
            query = select(PriceListing).where(PriceListing.minifigure_id == luke)
            return (await session.scalars(query.order_by(PriceListing.observed_at.desc()))).all()

    async def raw_listings() -> object:
        return await raw.fetch(
            "SELECT * FROM price_listings WHERE minifigure_id = $1 ORDER BY observed_at DESC",
            luke,
        )

    async def store_history() -> object:
        async with AsyncSession(engine) as session:
            return await price_history(
                session,
                [luke],
                start=start,
                end=end,
                width=DAY,
                condition=Condition.USED,
                kind=ListingKind.SOLD,
                source=CandleSource.RAW_LISTINGS,
            )

    settings = Settings(_env_file=None, database_url=url, redis_url="redis://127.0.0.1:6379/0")
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    query = """query($from: DateTime!, $to: DateTime!) { minifigure(figNum: "sw0001a") {
        priceHistory(from: $from, to: $to) { start open high low close median volume } } }"""

    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://bench") as client,
    ):

        async def graphql_history() -> object:
            response = await client.post(
                "/graphql",
                json={
                    "query": query,
                    "variables": {"from": start.isoformat(), "to": end.isoformat()},
                },
            )
            return response.json()

        body = await graphql_history()
        candles = len(body["data"]["minifigure"]["priceHistory"])
        rows = {
            "listings: raw asyncpg": await _best(raw_listings),
            "listings: store rows": await _best(store_listings),
            "listings: ORM objects": await _best(orm_listings),
            "history: store rows": await _best(store_history),
            "history: GraphQL request": await _best(graphql_history),
        }
    reference = rows["listings: raw asyncpg"]
    print(f"{OBSERVATIONS} observations, {candles} daily candles; median of {ROUNDS} runs")
    for name, seconds in rows.items():
        print(f"{name:28s} {seconds * 1000:9.1f} ms  {seconds / reference:6.2f}x raw listings")
    overhead = rows["history: GraphQL request"] / rows["history: store rows"]
    print(f"history GraphQL / store rows: {overhead:.2f}x")


if __name__ == "__main__":
    asyncio.run(
        main(sys.argv[1] if len(sys.argv) > 1 else "postgresql://postgres@127.0.0.1:5432/postgres")
    )
