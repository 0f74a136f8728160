"""Fault injection on real processes: each test breaks something and watches recovery."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from server import migrations
from server.embedded import EmbeddedPostgres
from tests.databases import create_database, drop_database
from tests.faults.processes import OwnRedis


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    """A Redis of this test's own: the shared one must not be killed under other tests."""
    redis = OwnRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
async def own_database(postgres_admin_url: str) -> AsyncIterator[str]:
    """A migrated database of this test's own (the processes under test commit to it)."""
    url = await create_database(postgres_admin_url, prefix="stonks_fault")
    await asyncio.to_thread(migrations.upgrade, url)
    yield url
    await drop_database(postgres_admin_url, url)


@pytest.fixture
def own_postgres(tmp_path: Path) -> Iterator[tuple[EmbeddedPostgres, str]]:
    """A PostgreSQL server of this test's own (the shared one must not be restarted), as
    `stonks up` runs it, with a migrated database; yields the server and its URL."""
    server = EmbeddedPostgres(tmp_path / "pg")
    url = server.start()
    migrations.upgrade(url)
    try:
        yield server, url
    finally:
        server.stop()
