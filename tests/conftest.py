"""Fixtures on real servers: PostgreSQL (TimescaleDB where installed) and Redis."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from server import migrations
from server.app import create_app
from server.db import async_url
from server.settings import Settings
from tests import servers
from tests.databases import create_database, drop_database

REQUIRE_TIMESCALEDB = os.environ.get("REQUIRE_TIMESCALEDB") == "1"


@pytest.fixture(scope="session")
def scratch_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Short: embedded servers listen on Unix sockets, whose paths are capped at 107 bytes.
    return tmp_path_factory.mktemp("srv", numbered=True)


@pytest.fixture(scope="session")
def postgres_admin_url(scratch_dir: Path) -> Iterator[str]:
    with servers.postgres_admin_url(scratch_dir) as url:
        yield url


@pytest.fixture(scope="session")
def redis_url(scratch_dir: Path) -> Iterator[str]:
    with servers.redis_url(scratch_dir) as url:
        yield url


@pytest.fixture(scope="session")
async def database_url(postgres_admin_url: str) -> AsyncIterator[str]:
    """A fresh database migrated to head, dropped after the run."""
    url = await create_database(postgres_admin_url)
    await asyncio.to_thread(migrations.upgrade, url)
    yield url
    await drop_database(postgres_admin_url, url)


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(async_url(database_url))
    yield engine
    await engine.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session whose work, commits included, is rolled back after the test."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        session = AsyncSession(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield session
        finally:
            await session.close()
            await transaction.rollback()


async def timescaledb_installed(engine: AsyncEngine) -> bool:
    async with engine.connect() as connection:
        found = await connection.scalar(
            text("SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'")
        )
    return bool(found)


async def community_features(engine: AsyncEngine) -> bool:
    """The migrated test database has compression, the daily-candle aggregate and policies."""
    async with engine.connect() as connection:
        found = await connection.scalar(
            text(
                "SELECT current_setting('timescaledb.license', true) = 'timescale' "
                "AND to_regclass('price_candles_daily') IS NOT NULL "
                "AND (SELECT count(*) FROM timescaledb_information.jobs "
                "     WHERE proc_name IN ('policy_compression', 'policy_retention', "
                "                         'policy_refresh_continuous_aggregate')) = 3"
            )
        )
    return bool(found)


@pytest.fixture
async def require_timescaledb(engine: AsyncEngine) -> None:
    """Skips without TimescaleDB, or fails when REQUIRE_TIMESCALEDB=1 (as in CI).

    Under REQUIRE_TIMESCALEDB=1 the Community edition's features must be there too: an
    Apache-only build would migrate without compression, aggregates and policies.
    """
    if await timescaledb_installed(engine):
        if REQUIRE_TIMESCALEDB and not await community_features(engine):
            pytest.fail(
                "TimescaleDB lacks compression, continuous aggregates or policies (not the "
                "Community edition?), and REQUIRE_TIMESCALEDB=1"
            )
        return
    message = "the test database has no TimescaleDB extension"
    if REQUIRE_TIMESCALEDB:
        pytest.fail(f"{message}, and REQUIRE_TIMESCALEDB=1")
    pytest.skip(message)


def settings_for(database_url: str, redis_url: str, **overrides: Any) -> Settings:
    return Settings(
        _env_file=None,
        database_url=SecretStr(database_url),
        redis_url=SecretStr(redis_url),
        **overrides,
    )


@pytest.fixture
async def client(database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the real app (lifespan included), over ASGI. Every test shares its
    address, so rate limiting is off here (tests/test_ratelimit.py builds its own apps)."""
    app = create_app(settings_for(database_url, redis_url, rate_limit_enabled=False))
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        yield client


@pytest.fixture
async def committed(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session whose commits are visible to the app; the catalog is emptied afterwards."""
    async with AsyncSession(engine, expire_on_commit=False) as session:
        yield session
    async with engine.begin() as connection:
        # CASCADE: collectors' holdings and watchlists refer to minifigures.
        await connection.execute(
            text("TRUNCATE minifigures, price_listings, price_snapshots CASCADE")
        )
