"""`stonks serve --workers N`: N processes answer on one port, and stop together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from importlib.metadata import version as package_version
from pathlib import Path

import httpx
import pytest

from tests.test_cli import START_TIMEOUT_S, _free_port, _graphql


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _serve(port: int, database_url: str, redis_url: str, *extra: str) -> subprocess.Popen[str]:
    env = os.environ | {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port), *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_workers(process: subprocess.Popen[str], port: int, count: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"stonks serve exited with {process.returncode}: {process.communicate()}")
        try:
            if (
                _graphql(port, "{ version }").status_code == 200
                and len(_children(process.pid)) >= count
            ):
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"stonks serve --workers {count} did not serve within {START_TIMEOUT_S}s")


def test_two_workers_answer_on_one_port_and_stop_together(
    database_url: str, redis_url: str
) -> None:
    port = _free_port()
    process = _serve(port, database_url, redis_url, "--workers", "2")
    try:
        _wait_for_workers(process, port, 2)
        workers = _children(process.pid)
        # uvicorn's supervisor runs the workers; each builds its own app and pools.
        assert len(workers) >= 2
        answers = [_graphql(port, "{ version }").json() for _ in range(6)]
        assert all(a["data"] == {"version": package_version("minifigure-stonks")} for a in answers)
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)
    assert process.returncode == 0
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


def test_workers_must_be_at_least_one(database_url: str, redis_url: str) -> None:
    process = _serve(_free_port(), database_url, redis_url, "--workers", "0")
    _, stderr = process.communicate(timeout=60)

    assert process.returncode == 2
    assert "--workers must be at least 1" in stderr
