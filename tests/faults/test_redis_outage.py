"""Redis killed and restarted under a running API and worker (real processes)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from tests.databases import fetch_value
from tests.faults.processes import (
    STARTUP_TIMEOUT_S,
    OwnRedis,
    free_port,
    http_get,
    serving,
    stonks,
    stonks_environment,
    stop,
    wait_for,
)

OUTAGE_S = 4.0


def _ticks(database_url: str) -> int:
    query = "SELECT count(*) FROM sync_runs WHERE kind = 'tick' AND status = 'succeeded'"
    count = asyncio.run(fetch_value(database_url, query))
    assert isinstance(count, int)
    return count


def test_api_and_worker_ride_out_a_redis_restart(
    own_redis: OwnRedis, own_database: str, tmp_path: Path
) -> None:
    port = free_port()
    env = stonks_environment(
        database_url=own_database,
        redis_url=own_redis.url,
        port=str(port),
        demo_tick_seconds="1",
        demo_backfill_days="0",
    )
    api = stonks("serve", env=env, log=tmp_path / "api.log")
    worker = stonks("worker", env=env, log=tmp_path / "worker.log")
    try:
        wait_for(lambda: serving(port), STARTUP_TIMEOUT_S, "the API serves")
        wait_for(lambda: _ticks(own_database) >= 2, STARTUP_TIMEOUT_S, "the worker ticks")

        own_redis.kill()
        started = time.monotonic()
        # The API keeps answering: health says which part is down, queries still work.
        health = http_get(port, "/healthz", timeout_s=3)
        assert time.monotonic() - started < 3
        assert health.status_code == 503
        assert health.json() == {"database": True, "redis": False}
        query = {"query": "{ minifigures(first: 1) { nodes { figNum } } }"}
        answer = httpx.post(f"http://127.0.0.1:{port}/graphql", json=query, timeout=5)
        assert answer.status_code == 200, answer.text
        assert answer.json()["data"]["minifigures"]["nodes"]
        time.sleep(OUTAGE_S)
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
        ticks_before = _ticks(own_database)

        own_redis.start()  # same port, empty: queued jobs are gone, the schedule is not
        wait_for(lambda: http_get(port, "/healthz").status_code == 200, 15, "health is back")
        wait_for(lambda: _ticks(own_database) >= ticks_before + 2, 30, "ticks resume")
    finally:
        api_code = stop(api)
        worker_code = stop(worker)
    log = (tmp_path / "worker.log").read_text()
    assert "worker lost Redis" in log
    assert "worker reached Redis again" in log
    assert worker_code == 0
    # uvicorn re-raises the SIGTERM it handled once shut down: -15 after a clean stop.
    assert api_code in (0, -15)
    assert "Application shutdown complete" in (tmp_path / "api.log").read_text()
