"""TimescaleDB Community features: compression, retention and the daily-candle aggregate.

Each test migrates its own database: running a policy job compresses or drops chunks,
which must not reach the shared test database.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from server import migrations
from server.db import async_url
from server.settings import Settings
from server.store.aggregation import recompute_snapshots
from server.store.catalog import upsert_minifigures
from server.store.listings import insert_listings
from server.timescale import ListingPolicies, reapply_listing_policies
from tests import factories
from tests.conftest import REQUIRE_TIMESCALEDB
from tests.databases import create_database, drop_database, fetch_value

NOW = datetime.now(UTC)


@pytest.fixture
async def timescale_engine(postgres_admin_url: str) -> AsyncIterator[AsyncEngine]:
    url = await create_database(postgres_admin_url, prefix="stonks_policies")
    settings = Settings(
        _env_file=None,
        database_url=SecretStr(url),
        compress_listings_after_days=14,
        listings_retention_days=400,
    )
    try:
        await asyncio.to_thread(migrations.upgrade, url, settings=settings)
        license_name = await fetch_value(url, "SELECT current_setting('timescaledb.license', true)")
        if license_name != "timescale":
            message = f"TimescaleDB Community edition needed (license: {license_name})"
            if REQUIRE_TIMESCALEDB:
                pytest.fail(f"{message}, and REQUIRE_TIMESCALEDB=1")
            pytest.skip(message)
        engine = create_async_engine(async_url(url))
        yield engine
        await engine.dispose()
    finally:
        await drop_database(postgres_admin_url, url)


async def _scalar(engine: AsyncEngine, query: str) -> object:
    async with engine.connect() as connection:
        return await connection.scalar(text(query))


async def _job(engine: AsyncEngine, proc_name: str) -> tuple[int, dict[str, object]]:
    async with engine.connect() as connection:
        row = (
            await connection.execute(
                text(
                    "SELECT job_id, config FROM timescaledb_information.jobs "
                    "WHERE hypertable_name IN ('price_listings', 'price_candles_daily') "
                    "AND proc_name = :proc"
                ),
                {"proc": proc_name},
            )
        ).one()
    return row[0], row[1]


async def _run_job(engine: AsyncEngine, job_id: int) -> None:
    # CALL run_job commits inside: it needs a connection outside a transaction block.
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text(f"CALL run_job({job_id})"))


async def _seed(engine: AsyncEngine, ages_days: list[int]) -> None:
    """One USED sale of sw0001a per age (in days before now), priced 10 + age."""
    async with AsyncSession(engine) as session:
        ids = await upsert_minifigures(session, [factories.catalog_entry("sw0001a")])
        await insert_listings(
            session,
            [
                factories.listing(
                    ids["sw0001a"],
                    f"bl-{age}",
                    observed_at=NOW - timedelta(days=age),
                    price_usd=Decimal(10 + age),
                )
                for age in ages_days
            ],
        )
        await session.commit()


async def test_compression_segments_by_minifigure_orders_by_time_and_compresses_old_chunks(
    timescale_engine: AsyncEngine,
) -> None:
    settings = await _scalar(
        timescale_engine,
        "SELECT string_agg(attname || ':' || coalesce(segmentby_column_index, 0) || ':' "
        "|| coalesce(orderby_column_index, 0), ',' ORDER BY attname) "
        "FROM timescaledb_information.compression_settings "
        "WHERE hypertable_name = 'price_listings'",
    )
    assert settings == "id:0:2,minifigure_id:1:0,observed_at:0:1"
    job_id, config = await _job(timescale_engine, "policy_compression")
    assert config["compress_after"] == "14 days"

    await _seed(timescale_engine, [1, 60])
    await _run_job(timescale_engine, job_id)

    compressed = await _scalar(
        timescale_engine,
        "SELECT array_agg(is_compressed ORDER BY range_end) FROM timescaledb_information.chunks "
        "WHERE hypertable_name = 'price_listings'",
    )
    assert compressed == [True, False]
    # Late listings land in the compressed chunk, and re-ingesting one is still a no-op.
    await _seed(timescale_engine, [60, 61])
    assert await _scalar(timescale_engine, "SELECT count(*) FROM price_listings") == 3


async def test_retention_drops_old_raw_listings_and_keeps_snapshots_and_candles(
    timescale_engine: AsyncEngine,
) -> None:
    job_id, config = await _job(timescale_engine, "policy_retention")
    assert config["drop_after"] == "400 days"
    await _seed(timescale_engine, [2, 500])
    async with AsyncSession(timescale_engine) as session:
        minifigure_id = await session.scalar(text("SELECT id FROM minifigures"))
        assert minifigure_id is not None
        old_day = (NOW - timedelta(days=500)).date()
        assert len(await recompute_snapshots(session, [(minifigure_id, old_day)])) == 1
        await session.commit()
    refresh_id, _ = await _job(timescale_engine, "policy_refresh_continuous_aggregate")
    async with timescale_engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(
            text("CALL refresh_continuous_aggregate('price_candles_daily', NULL, NULL)")
        )

    await _run_job(timescale_engine, job_id)
    await _run_job(timescale_engine, refresh_id)

    assert await _scalar(timescale_engine, "SELECT count(*) FROM price_listings") == 1
    assert await _scalar(timescale_engine, "SELECT count(*) FROM price_snapshots") == 1
    # The candle of the dropped day survives, refresh policy included.
    assert await _scalar(
        timescale_engine, "SELECT array_agg(trades ORDER BY day) FROM price_candles_daily"
    ) == [1, 1]


async def test_daily_candles_aggregate_in_real_time_and_refresh_short_of_retention(
    timescale_engine: AsyncEngine,
) -> None:
    _, config = await _job(timescale_engine, "policy_refresh_continuous_aggregate")
    assert config["start_offset"] == "399 days"
    assert config["end_offset"] == "01:00:00"
    await _seed(timescale_engine, [0])

    # Nothing materialized yet: today's sale comes from real-time aggregation.
    assert (
        await _scalar(
            timescale_engine,
            "SELECT count(*) FROM _timescaledb_catalog.continuous_agg "
            "WHERE user_view_name = 'price_candles_daily' AND NOT materialized_only",
        )
        == 1
    )
    row = await _scalar(
        timescale_engine,
        "SELECT ARRAY[open_usd, close_usd, median_usd, volume, trades] FROM price_candles_daily",
    )
    assert row == [Decimal("10.00"), Decimal("10.00"), Decimal("10.00"), 1, 1]


async def test_policies_follow_changed_settings(timescale_engine: AsyncEngine) -> None:
    """`stonks migrate` re-applies the settings to a database migrated before."""
    url = timescale_engine.url.render_as_string(hide_password=False)
    changed = ListingPolicies(compress_after_days=3, retention_days=None)
    assert await reapply_listing_policies(url, changed)
    _, config = await _job(timescale_engine, "policy_compression")
    assert config["compress_after"] == "3 days"
    assert (
        await _scalar(
            timescale_engine,
            "SELECT count(*) FROM timescaledb_information.jobs "
            "WHERE proc_name = 'policy_retention'",
        )
        == 0
    )
    _, refresh = await _job(timescale_engine, "policy_refresh_continuous_aggregate")
    assert refresh["start_offset"] is None


@pytest.mark.parametrize(("days", "accepted"), [(0, True), (7, True), (3, False)])
def test_retention_is_forever_or_at_least_a_week(days: int, accepted: bool) -> None:
    if accepted:
        policies = ListingPolicies.from_settings(
            Settings(_env_file=None, listings_retention_days=days)
        )
        assert policies.retention_days == (days or None)
    else:
        with pytest.raises(ValueError, match="LISTINGS_RETENTION_DAYS"):
            Settings(_env_file=None, listings_retention_days=days)
