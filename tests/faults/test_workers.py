"""Three workers on one queue, one of them SIGKILLed again and again (real processes).

Asserts: each cron slot ran once, the start-up backfill ran once, every listing's day
has its snapshot (they commit together), and ticking goes on without anyone's help.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from pathlib import Path

from tests.faults.convergence import DAYS_WITHOUT_SNAPSHOT, SNAPSHOTS_OFF, TICKS, value
from tests.faults.holds import held_before_recompute
from tests.faults.processes import (
    STARTUP_TIMEOUT_S,
    OwnRedis,
    stonks,
    stonks_environment,
    stop,
    wait_for,
)

KILLS = 2
DUPLICATE_SLOTS = (
    "SELECT count(*) FROM (SELECT job_id FROM sync_runs WHERE kind = 'tick' "
    "GROUP BY job_id HAVING count(*) > 1) AS twice"
)


def test_three_workers_one_killed_repeatedly(
    own_redis: OwnRedis, own_database: str, tmp_path: Path
) -> None:
    env = stonks_environment(
        database_url=own_database,
        redis_url=own_redis.url,
        demo_tick_seconds="1",
        demo_backfill_days="3",
    )
    log = tmp_path / "workers.log"
    workers = [stonks("worker", env=env, log=log) for _ in range(3)]
    try:
        wait_for(lambda: value(own_database, TICKS) >= 3, STARTUP_TIMEOUT_S, "ticks")
        for _ in range(KILLS):
            victim = workers.pop(0)
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            workers.append(stonks("worker", env=env, log=log))
            time.sleep(1.0)
        started = time.monotonic()
        ticks_before = value(own_database, TICKS)
        wait_for(lambda: value(own_database, TICKS) >= ticks_before + 3, 60, "ticks go on")
        elapsed = time.monotonic() - started
        ticks_after = value(own_database, TICKS)
        # Stopped only once started: SIGTERM during the imports is Python's default death.
        started_workers = 3 + KILLS
        wait_for(
            lambda: log.read_text().count("Starting worker for") >= started_workers,
            STARTUP_TIMEOUT_S,
            "every worker started",
        )
    finally:
        codes = [stop(worker) for worker in workers]
    assert codes == [0, 0, 0]
    assert value(own_database, DUPLICATE_SLOTS) == 0
    # One tick per second at most, however many workers enqueue the slot.
    assert ticks_after - ticks_before <= elapsed + 2
    backfills = "SELECT count(*) FROM sync_runs WHERE kind = 'backfill'"
    assert value(own_database, backfills) == 1, log.read_text()[-3000:]
    assert value(own_database, DAYS_WITHOUT_SNAPSHOT) == 0
    assert value(own_database, SNAPSHOTS_OFF) == 0
    assert value(own_database, "SELECT count(*) FROM price_snapshots") > 0


async def _blocked_then_killed(
    database_url: str, worker: subprocess.Popen[bytes]
) -> tuple[int, int]:
    """Kills the worker between its next ingest's listing insert and snapshot recompute.

    Returns the killed run's id and the listings committed when the locks were taken
    (no ingest can commit while they are held)."""
    async with held_before_recompute(database_url) as connection:
        committed = await connection.fetchval("SELECT count(*) FROM price_listings")
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        running = await connection.fetchval(
            "SELECT max(id) FROM sync_runs WHERE kind = 'tick' AND status = 'running'"
        )
    assert isinstance(running, int)
    return running, committed


def test_worker_killed_between_insert_and_recompute_leaves_nothing_half_done(
    own_redis: OwnRedis, own_database: str, tmp_path: Path
) -> None:
    env = stonks_environment(
        database_url=own_database,
        redis_url=own_redis.url,
        demo_tick_seconds="1",
        demo_backfill_days="0",
        worker_job_timeout_s="10",
    )
    log = tmp_path / "worker.log"
    worker = stonks("worker", env=env, log=log)
    try:
        wait_for(lambda: value(own_database, TICKS) >= 1, STARTUP_TIMEOUT_S, "ticks")
        killed_run, committed = asyncio.run(_blocked_then_killed(_plain(own_database), worker))
        time.sleep(1)  # the orphaned backend gets the lock, then finds its client gone
        # The killed transaction took its listings with it.
        assert value(own_database, "SELECT count(*) FROM price_listings") == committed
        assert value(own_database, DAYS_WITHOUT_SNAPSHOT) == 0
        status = f"SELECT count(*) FROM sync_runs WHERE id = {killed_run} AND status = 'succeeded'"
        assert value(own_database, status) == 0

        worker = stonks("worker", env=env, log=log)
        ticks_before = value(own_database, TICKS)
        wait_for(lambda: value(own_database, TICKS) >= ticks_before + 2, 60, "ticks go on")
    finally:
        code = stop(worker)
    assert code == 0
    assert value(own_database, DAYS_WITHOUT_SNAPSHOT) == 0
    assert value(own_database, SNAPSHOTS_OFF) == 0
    assert value(own_database, "SELECT count(*) FROM price_snapshots") > 0


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")
