"""`stonks up` on the embedded servers: its children killed one by one, then itself.

Real processes throughout: the embedded PostgreSQL and Redis, the worker, `up`.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import httpx

from tests.faults.processes import (
    STARTUP_TIMEOUT_S,
    alive,
    free_port,
    http_get,
    processes_with,
    read_pid,
    stonks,
    stonks_environment,
    stop,
    wait_for,
)

RESTART_WITHIN_S = 45


def _healthy(port: int) -> bool:
    try:
        return http_get(port, "/healthz", timeout_s=3).status_code == 200
    except httpx.TransportError:
        return False


def _replaced(path: Path, old: int | None) -> bool:
    pid = read_pid(path)
    return pid is not None and pid != old and alive(pid)


def test_up_restarts_dead_children_and_cleans_up_after_its_own_sigkill(tmp_path: Path) -> None:
    data_dir = tmp_path / "d"
    port = free_port()
    env = stonks_environment(data_dir=str(data_dir), port=str(port), demo_market="false")
    mine = f"DATA_DIR={data_dir}"
    redis_pid_file = data_dir / "redis" / "redis.pid"
    postgres_pid_file = data_dir / "postgres" / "postmaster.pid"
    log = tmp_path / "up.log"

    def workers() -> list[int]:
        return processes_with("server.cli worker", mine)

    up: subprocess.Popen[bytes] = stonks("up", env=env, log=log)
    try:
        wait_for(lambda: _healthy(port), STARTUP_TIMEOUT_S, "stonks up serves")
        first_workers = workers()
        assert len(first_workers) == 1

        redis_pid = read_pid(redis_pid_file)
        assert redis_pid is not None
        os.kill(redis_pid, signal.SIGKILL)
        wait_for(lambda: _replaced(redis_pid_file, redis_pid), RESTART_WITHIN_S, "Redis back")
        wait_for(lambda: _healthy(port), RESTART_WITHIN_S, "healthy with the new Redis")

        os.kill(first_workers[0], signal.SIGKILL)
        wait_for(lambda: workers() not in ([], first_workers), RESTART_WITHIN_S, "worker back")
        assert len(workers()) == 1

        postgres_pid = read_pid(postgres_pid_file)
        assert postgres_pid is not None
        os.kill(postgres_pid, signal.SIGKILL)
        wait_for(lambda: _replaced(postgres_pid_file, postgres_pid), RESTART_WITHIN_S, "PG back")
        wait_for(lambda: _healthy(port), RESTART_WITHIN_S, "healthy with the new PostgreSQL")
        # The server answers before `up` has finished its start-up checks and said so.
        wait_for(
            lambda: "embedded PostgreSQL restarted" in log.read_text(),
            RESTART_WITHIN_S,
            "the PostgreSQL restart logged",
        )

        # `up` itself killed: its worker and Redis go with it, PostgreSQL (a daemon) stays...
        up.kill()
        up.wait()
        wait_for(lambda: workers() == [], 15, "the worker dies with up")
        wait_for(lambda: processes_with("redis-server", mine) == [], 15, "Redis dies with up")
        orphan = read_pid(postgres_pid_file)
        assert orphan is not None
        assert alive(orphan)

        # ...until the next `up` stops it and starts afresh, with a single worker.
        up = stonks("up", env=env, log=log)
        wait_for(lambda: _healthy(port), STARTUP_TIMEOUT_S, "stonks up serves again")
        assert not alive(orphan)
        assert len(workers()) == 1
    finally:
        code = stop(up, timeout_s=60)
    text = log.read_text()
    assert code == 0, text[-3000:]
    # Every exit path stops the children: nothing of this data directory runs on.
    assert workers() == []
    assert processes_with("redis-server", mine) == []
    last_postgres = read_pid(postgres_pid_file)
    assert last_postgres is None or not alive(last_postgres)
    for child in ("embedded Redis", "worker", "embedded PostgreSQL"):
        assert f"{child} restarted" in text
    assert "stopping the embedded PostgreSQL left running" in text
