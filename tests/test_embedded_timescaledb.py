"""The embedded PostgreSQL with TimescaleDB once `make timescaledb` built it, plain without.

Which of the two this machine has depends on whether `make timescaledb` ran in this
virtualenv (a fresh one, as in CI, has plain PostgreSQL); each is checked for what it does.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from server import embedded_timescaledb
from server.embedded import embedded_postgres
from tests.databases import execute, fetch_value


async def test_embedded_postgresql_preloads_timescaledb_only_when_built(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="server.embedded_timescaledb")
    with embedded_postgres(tmp_path) as url:
        preloaded = await fetch_value(url, "SHOW shared_preload_libraries")
        if embedded_timescaledb.is_built():
            await execute(url, "CREATE EXTENSION timescaledb")
            license_name = await fetch_value(url, "SHOW timescaledb.license")
            assert "timescaledb" in str(preloaded)
            assert license_name == "timescale"
        else:
            assert "timescaledb" not in str(preloaded)
    messages = [r.getMessage() for r in caplog.records if r.name == "server.embedded_timescaledb"]
    assert len(messages) == 1
    expected = "preloaded" if embedded_timescaledb.is_built() else "plain PostgreSQL"
    assert expected in messages[0]


def test_building_without_a_toolchain_or_source_says_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match=r"cannot build TimescaleDB|TimescaleDB source not found"):
        embedded_timescaledb.build(tmp_path / "missing.tar.gz", jobs=1)
