"""PostgreSQL restarted under sustained load: HTTP queries and a backfill running.

Real processes: a PostgreSQL server of the test's own (stopped with a fast shutdown, which
ends every session, and started again), `stonks serve` under a steady stream of queries,
`stonks worker` backfilling the demo market and ticking. Asserts: every answer is either
data or a coded SERVICE_UNAVAILABLE (HTTP 503), answers come back by themselves, the
interrupted backfill is retried and converges, nothing committed is lost.
"""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import httpx

from server.embedded import EmbeddedPostgres
from tests.faults.convergence import DAYS_WITHOUT_SNAPSHOT, SNAPSHOTS_OFF, TICKS, value
from tests.faults.processes import (
    STARTUP_TIMEOUT_S,
    OwnRedis,
    free_port,
    serving,
    stonks,
    stonks_environment,
    stop,
    wait_for,
)

OUTAGE_S = 3.0
# Two chunks of 30 days: the restart comes while the first runs, or as the second starts.
BACKFILL_DAYS = 60
RECOVERED_WITHIN_S = 30
CONVERGED_WITHIN_S = 90
QUERY = {"query": "{ minifigures(first: 5) { totalCount nodes { figNum } } }"}
# 1 while the first backfill chunk runs: one run, running, none finished.
FIRST_CHUNK_RUNNING = """
    SELECT count(*) FILTER (WHERE status = 'running') - count(*) FILTER (WHERE status <> 'running')
    FROM sync_runs WHERE kind = 'backfill'
"""
LISTINGS = "SELECT count(*) FROM price_listings"
# Succeeded backfill chunks: how many days they cover, and up to which day.
BACKFILLED_DAYS = """
    SELECT coalesce(sum((params->>'last_day')::date - (params->>'first_day')::date + 1), 0)
    FROM sync_runs WHERE kind = 'backfill' AND status = 'succeeded'
"""
BACKFILLED_TO_YESTERDAY = """
    SELECT count(*) FROM sync_runs WHERE kind = 'backfill' AND status = 'succeeded'
    AND (params->>'last_day')::date = (now() AT TIME ZONE 'UTC')::date - 1
"""


class QueryLoad:
    """Queries the API back to back from a thread; keeps what each answer was."""

    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}/graphql"
        self.outcomes: list[str] = []
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> QueryLoad:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stopped.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        headers = {"accept": "application/graphql-response+json"}
        with httpx.Client(timeout=10) as client:
            while not self._stopped.is_set():
                try:
                    response = client.post(self.url, json=QUERY, headers=headers)
                except httpx.TransportError as error:
                    self.outcomes.append(f"transport error {error!r}")
                else:
                    self.outcomes.append(_outcome(response))
                time.sleep(0.05)

    def answered_since(self, start: int) -> bool:
        return "data" in self.outcomes[start:]


def _outcome(response: httpx.Response) -> str:
    body = response.json()
    if response.status_code == 200 and "errors" not in body and body["data"]["minifigures"]:
        return "data"
    codes = [error.get("extensions", {}).get("code") for error in body.get("errors", [])]
    if response.status_code == 503 and codes == ["SERVICE_UNAVAILABLE"]:
        return "unavailable"
    return f"{response.status_code} {response.text[:500]}"


def test_a_postgres_restart_under_load_is_answered_503_and_converges(
    own_postgres: tuple[EmbeddedPostgres, str], own_redis: OwnRedis, tmp_path: Path
) -> None:
    server, database_url = own_postgres
    port = free_port()
    env = stonks_environment(
        database_url=database_url,
        redis_url=own_redis.url,
        port=str(port),
        demo_tick_seconds="1",
        demo_backfill_days=str(BACKFILL_DAYS),
    )
    api = stonks("serve", env=env, log=tmp_path / "api.log")
    worker_log = tmp_path / "worker.log"
    workers: list[subprocess.Popen[bytes]] = []
    try:
        wait_for(lambda: serving(port), STARTUP_TIMEOUT_S, "the API serves")
        with QueryLoad(port) as load:
            wait_for(lambda: load.answered_since(0), STARTUP_TIMEOUT_S, "queries answered")
            # Only now: its backfill must run while the test watches.
            workers.append(stonks("worker", env=env, log=worker_log))
            wait_for(
                lambda: value(database_url, FIRST_CHUNK_RUNNING) == 1,
                STARTUP_TIMEOUT_S,
                "the backfill is running",
            )
            listings = value(database_url, LISTINGS)
            ticks = value(database_url, TICKS)

            server.stop()  # fast shutdown: every session ends, the backfill's with it
            outage = len(load.outcomes)
            time.sleep(OUTAGE_S)
            assert "unavailable" in load.outcomes[outage:]
            server.start()
            restarted = len(load.outcomes)
            wait_for(lambda: load.answered_since(restarted), RECOVERED_WITHIN_S, "answers again")

            wait_for(
                lambda: value(database_url, BACKFILLED_TO_YESTERDAY) == 1,
                CONVERGED_WITHIN_S,
                "the backfill converges",
            )
            wait_for(lambda: value(database_url, TICKS) >= ticks + 2, 30, "ticks go on")
        assert api.poll() is None
        assert workers[0].poll() is None
    finally:
        for worker in workers:
            stop(worker)
        stop(api)

    assert set(load.outcomes) == {"data", "unavailable"}, set(load.outcomes)
    assert "seed_demo failed on try 1" in worker_log.read_text()
    assert value(database_url, LISTINGS) >= listings
    assert value(database_url, BACKFILLED_DAYS) == BACKFILL_DAYS  # each day once
    assert value(database_url, DAYS_WITHOUT_SNAPSHOT) == 0
    assert value(database_url, SNAPSHOTS_OFF) == 0
