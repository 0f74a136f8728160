"""`stonks up` on the embedded defaults, as a user runs it: a real process, real servers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.databases import execute, fetch_value

START_TIMEOUT_S = 90


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    # A short demo backfill: seeding is done before the test stops `up`, so the stop is
    # what is tested, not a backfill cut short.
    return env | {"DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING", "DEMO_BACKFILL_DAYS": "30"}


def _stonks(*args: str, data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "server.cli", *args],
        env=_environment(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _graphql(port: int, query: str) -> httpx.Response:
    return httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": query}, timeout=5)


def _wait_until_serving(process: subprocess.Popen[str], port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _, stderr = process.communicate()
            pytest.fail(f"stonks up exited with {process.returncode}:\n{stderr}")
        try:
            if _graphql(port, "{ __typename }").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail(f"stonks up did not serve within {START_TIMEOUT_S}s")


def _interrupt(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    return process.returncode, stderr


@pytest.fixture
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("up")


def _database_url(data_dir: Path) -> str:
    return f"postgresql://postgres@/stonks?host={data_dir / 'postgres'}"


async def test_up_serves_refuses_a_second_instance_stops_cleanly_and_keeps_data(
    data_dir: Path,
) -> None:
    port = _free_port()
    first = _stonks("up", "--port", str(port), data_dir=data_dir)
    try:
        _wait_until_serving(first, port)
        assert _graphql(port, "{ __typename }").json()["data"] == {"__typename": "Query"}
        health = _graphql(port, "{ health { database redis } }").json()["data"]
        assert health == {"health": {"database": True, "redis": True}}

        second = _stonks("up", "--port", str(_free_port()), data_dir=data_dir)
        _, stderr = second.communicate(timeout=30)
        assert second.returncode == 1
        assert "already running" in stderr
        assert str(data_dir) in stderr

        await execute(
            _database_url(data_dir),
            # Not a demo catalog figure: the demo market seeds those concurrently.
            "INSERT INTO minifigures (fig_num, name) VALUES ('zz0001', 'Test Figure')",
        )
    finally:
        returncode, stderr = _interrupt(first)
    assert returncode == 0, stderr
    assert "Traceback" not in stderr
    assert not (data_dir / "postgres" / "postmaster.pid").exists()
    assert not (data_dir / "redis" / "redis.sock").exists()

    again = _stonks("up", "--port", str(port), data_dir=data_dir)
    try:
        _wait_until_serving(again, port)
        name = await fetch_value(
            _database_url(data_dir), "SELECT name FROM minifigures WHERE fig_num = 'zz0001'"
        )
        assert name == "Test Figure"
    finally:
        returncode, stderr = _interrupt(again)
    assert returncode == 0, stderr


def test_export_schema_prints_the_sdl(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "export-schema"],
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    assert "type Query {" in result.stdout


def test_invalid_configuration_is_reported_without_a_traceback(tmp_path: Path) -> None:
    env = _environment(tmp_path) | {"ENVIRONMENT": "production", "ADMIN_API_KEY": "changeme"}
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "ADMIN_API_KEY" in result.stderr
    assert "Traceback" not in result.stderr
