"""Migrations run up and down on TimescaleDB and on plain PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from server import migrations
from server.db import async_url
from server.embedded import embedded_postgres
from tests.databases import create_database, drop_database, fetch_value

APP_TABLES = {
    "minifigures",
    "data_sources",
    "price_listings",
    "price_snapshots",
    "fx_rates",
    "sync_runs",
    "event_outbox",
    "catalog_crosswalk",
    "minifigure_merges",
    "fx_rate_history",
    "raw_observations",
    "accounts",
    "api_keys",
    "refresh_tokens",
    "watchlist_items",
    "holdings",
    "alert_rules",
    "alert_events",
    "webhook_deliveries",
}


async def _tables(url: str) -> set[str]:
    engine: AsyncEngine = create_async_engine(async_url(url))
    try:
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    finally:
        await engine.dispose()
    return set(names) - {"alembic_version"}


async def _round_trip(url: str) -> None:
    """Up, down to nothing, and up again: the downgrade leaves no trace that blocks a redo."""
    await asyncio.to_thread(migrations.upgrade, url)
    assert await _tables(url) == APP_TABLES
    assert await fetch_value(url, "SELECT count(*) FROM data_sources") == 5
    await asyncio.to_thread(migrations.downgrade, url, "base")
    assert await _tables(url) == set()
    await asyncio.to_thread(migrations.upgrade, url)
    assert await _tables(url) == APP_TABLES


@pytest.fixture
async def scratch_database(postgres_admin_url: str) -> AsyncIterator[str]:
    url = await create_database(postgres_admin_url, prefix="stonks_migration")
    yield url
    await drop_database(postgres_admin_url, url)


@pytest.mark.usefixtures("require_timescaledb")
async def test_round_trip_on_timescaledb_makes_price_listings_a_7_day_hypertable(
    scratch_database: str,
) -> None:
    await _round_trip(scratch_database)

    interval = await fetch_value(
        scratch_database,
        "SELECT time_interval::text FROM timescaledb_information.dimensions "
        "WHERE hypertable_name = 'price_listings' AND column_name = 'observed_at'",
    )
    assert interval == "7 days"


async def test_round_trip_on_plain_postgresql(tmp_path: Path) -> None:
    """The embedded server is a real PostgreSQL without TimescaleDB."""
    with embedded_postgres(tmp_path) as url:
        offered = await fetch_value(
            url, "SELECT count(*) FROM pg_available_extensions WHERE name = 'timescaledb'"
        )
        assert offered == 0
        await _round_trip(url)
        assert await fetch_value(url, "SELECT to_regclass('price_listings') IS NOT NULL")
        # Typo-tolerant search still gets its trigram index where pg_trgm exists.
        assert await fetch_value(url, "SELECT to_regclass('ix_minifigures_name_trgm') IS NOT NULL")


@pytest.mark.usefixtures("require_timescaledb")
async def test_test_database_price_listings_is_a_hypertable(database_url: str) -> None:
    hypertables = await fetch_value(
        database_url,
        "SELECT count(*) FROM timescaledb_information.hypertables "
        "WHERE hypertable_name = 'price_listings'",
    )
    assert hypertables == 1
