"""Ingest throughput: listings per second through the whole pipeline, against raw COPY.

    uv run python bench/ingest.py [--days 180] [--repeat 3]

Uses a fresh database on BENCH_DATABASE_URL (default: the local PostgreSQL) and
BENCH_REDIS_URL (default: the local Redis), dropped afterwards. Three measurements of
the same rows, in the same run, so the ratios hold on any machine:

- pipeline: `run_ingest` end to end (validate, normalize with FX, classify with the
  outlier statistics, dedupe, insert in one transaction, sync run, publish a PriceTick
  per listing to Redis, recompute the snapshots of the days touched); also measured
  without the per-listing events (`live=False`, as backfills run);
- store:    `insert_listings` alone (the batched unnest INSERT ... ON CONFLICT);
- COPY:     asyncpg `copy_records_to_table` of the final rows (no dedupe, no checks):
            the floor for getting these rows into PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from datetime import date, timedelta

import asyncpg
from pydantic import SecretStr

from server import migrations
from server.models import Condition, ListingKind
from server.settings import Settings
from server.store.listings import NewListing, insert_listings
from tests.databases import create_database, drop_database, execute
from tests.redis_keys import drop_keys
from workers.context import services_of
from workers.jobs.demo import seed_demo_catalog
from workers.pipeline.observation import Observation
from workers.pipeline.run import run_ingest
from workers.runner import job_context
from workers.sources import demo

ADMIN_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
COLUMNS = (
    "minifigure_id", "source", "external_id", "observed_at", "kind", "condition", "quantity",
    "price_usd", "shipping_usd", "original_price", "original_currency", "fx_rate",
    "seller_name", "seller_country", "confidence", "excluded_reason",
)  # fmt: skip


async def _truncate(settings: Settings) -> None:
    assert settings.database_url is not None
    await execute(
        settings.database_url.get_secret_value(),
        "TRUNCATE price_listings, price_snapshots, sync_runs",
    )


async def _stored_rows(dsn: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(dsn)
    try:
        return list(await connection.fetch(f"SELECT {', '.join(COLUMNS)} FROM price_listings"))  # noqa: S608 - fixed column list
    finally:
        await connection.close()


def _listing(row: asyncpg.Record) -> NewListing:
    values = dict(row)
    values["kind"] = ListingKind(values["kind"])
    values["condition"] = Condition(values["condition"])
    return NewListing(**values)


async def _measure(settings: Settings, observations: list[Observation]) -> dict[str, float]:
    assert settings.database_url is not None
    dsn = settings.database_url.get_secret_value()
    await _truncate(settings)
    async with job_context(settings) as ctx:
        services = services_of(ctx)

        async def fetch() -> list[Observation]:
            return observations

        started = time.perf_counter()
        await run_ingest(services, source="demo", kind="bench", fetch=fetch, live=False)
        quiet = time.perf_counter() - started
        await _truncate(settings)

        started = time.perf_counter()
        summary = await run_ingest(services, source="demo", kind="bench", fetch=fetch)
        pipeline = time.perf_counter() - started

        # The references store exactly the rows the pipeline stored.
        rows = await _stored_rows(dsn)
        listings = [_listing(row) for row in rows]
        await _truncate(settings)
        async with services.session_factory() as session, session.begin():
            started = time.perf_counter()
            await insert_listings(session, listings)
        store = time.perf_counter() - started
    await _truncate(settings)

    connection = await asyncpg.connect(dsn)
    try:
        records = [tuple(row) for row in rows]
        started = time.perf_counter()
        await connection.copy_records_to_table("price_listings", records=records, columns=COLUMNS)
        copy = time.perf_counter() - started
    finally:
        await connection.close()
    await _truncate(settings)
    assert summary.saved == len(rows)
    return {
        "rows": float(summary.saved),
        "pipeline": pipeline,
        "quiet": quiet,
        "store": store,
        "copy": copy,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=180, help="days of demo market per figure")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    url = await create_database(ADMIN_URL, "stonks_bench")
    namespace = f"bench:{uuid.uuid4().hex}"
    try:
        await asyncio.to_thread(migrations.upgrade, url)
        settings = Settings(
            _env_file=None,
            database_url=SecretStr(url),
            redis_url=SecretStr(REDIS_URL),
            redis_namespace=namespace,
        )
        async with job_context(settings) as ctx:
            await seed_demo_catalog(services_of(ctx))
        last = date.today() - timedelta(days=1)
        observations = demo.backfill(demo.demo_catalog(), last - timedelta(days=args.days), last)
        runs = [await _measure(settings, observations) for _ in range(args.repeat)]
    finally:
        await drop_database(ADMIN_URL, url)
        await drop_keys(REDIS_URL, f"{namespace}*")

    rows = runs[0]["rows"]
    median = {k: statistics.median(r[k] for r in runs) for k in runs[0] if k != "rows"}
    print(f"{int(rows)} listings ({len(demo.demo_catalog())} figures x {args.days} days), "
          f"median of {args.repeat} runs")  # fmt: skip
    for name, label in (
        ("pipeline", "pipeline end to end"),
        ("quiet", "pipeline, no live events"),
        ("store", "insert_listings only"),
        ("copy", "asyncpg COPY (reference)"),
    ):
        print(f"  {label:26s} {median[name]:7.3f} s  {rows / median[name]:10.0f} listings/s")
    print(f"  pipeline / COPY time ratio: {median['pipeline'] / median['copy']:.1f}x")
    print(f"  pipeline without events / COPY: {median['quiet'] / median['copy']:.1f}x")
    print(f"  store / COPY time ratio:    {median['store'] / median['copy']:.1f}x")


if __name__ == "__main__":
    asyncio.run(main())
