"""`stonks up`: everything on one machine, supervised.

Start-up first cleans up after an earlier `up` that was killed (its worker, embedded
Redis and PostgreSQL, found through their pid files), then starts the embedded servers
that no URL replaces, migrates, starts one worker, and serves the API in this process.
A supervisor thread restarts a dead child with backoff; every exit path of the API
(Ctrl-C, SIGTERM, an error) stops the children, worker first.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from server import migrations
from server.embedded import EmbeddedPostgres, EmbeddedRedis
from server.processes import (
    STOP_TIMEOUT_S,
    die_with_parent,
    reap_pid_file,
    write_pid_file,
)
from server.settings import Settings
from server.supervisor import Child, Supervisor

logger = logging.getLogger("stonks")

WORKER_COMMAND = ("-m", "server.cli", "worker")


class WorkerProcess:
    """The one worker of `stonks up`; its pid file lets the next `up` find an orphan."""

    def __init__(self, settings: Settings) -> None:
        assert settings.database_url is not None
        assert settings.redis_url is not None
        self.pid_file = worker_pid_file(settings.data_dir)
        self.env = os.environ | {
            "DATABASE_URL": settings.database_url.get_secret_value(),
            "REDIS_URL": settings.redis_url.get_secret_value(),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        # Its own session: the terminal's Ctrl-C reaches `up` only, which stops the
        # worker after the API; and it dies with `up` if `up` is killed.
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [sys.executable, *WORKER_COMMAND],
            env=self.env,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
        write_pid_file(self.pid_file, self.process.pid)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            self.pid_file.unlink(missing_ok=True)
            return
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            logger.warning("worker did not stop within %ss; killing it", STOP_TIMEOUT_S)
            process.kill()
            process.wait()
        except KeyboardInterrupt:
            # A second Ctrl-C while waiting: stop now, as impatient users expect.
            logger.warning("interrupted again; killing the worker")
            process.kill()
            process.wait()
        self.pid_file.unlink(missing_ok=True)


def worker_pid_file(data_dir: Path) -> Path:
    return data_dir / "worker.pid"


def _stop_requested(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def run_up(settings: Settings, serve: Callable[[Settings], None]) -> None:
    """Call with the data directory's lock held (one `up` per directory)."""
    # uvicorn handles SIGTERM, then re-raises it once the API has stopped; by default
    # that would end this process before the children are stopped. Here it unwinds.
    signal.signal(signal.SIGTERM, _stop_requested)
    postgres = EmbeddedPostgres(settings.data_dir) if settings.database_url is None else None
    redis_server = EmbeddedRedis(settings.data_dir) if settings.redis_url is None else None
    _reap_orphans(settings.data_dir, postgres, redis_server)
    children: list[Child] = []
    supervisor = Supervisor(children)
    try:
        if postgres is not None:
            database_url = postgres.start()
            children.append(
                Child("embedded PostgreSQL", postgres.start, postgres.alive, postgres.stop)
            )
        else:
            assert settings.database_url is not None
            database_url = settings.database_url.get_secret_value()
        if redis_server is not None:
            redis_server.start()
            redis_url = redis_server.url
            children.append(
                Child("embedded Redis", redis_server.start, redis_server.alive, redis_server.stop)
            )
        else:
            assert settings.redis_url is not None
            redis_url = settings.redis_url.get_secret_value()
        running = settings.with_service_urls(database_url=database_url, redis_url=redis_url)
        migrations.upgrade(database_url, settings=running)
        worker = WorkerProcess(running)
        worker.start()
        children.append(Child("worker", worker.start, worker.alive, worker.stop))
        supervisor.start()
        logger.info("Minifigure Stonks at http://%s:%s/", settings.host, settings.port)
        serve(running)
    finally:
        # Stopping is under way: a second SIGTERM must not cut it short.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        supervisor.stop()


def _reap_orphans(
    data_dir: Path, postgres: EmbeddedPostgres | None, redis_server: EmbeddedRedis | None
) -> None:
    """Worker first: it must not outlive the servers it talks to, nor meet a second worker."""
    reap_pid_file(worker_pid_file(data_dir), " ".join(WORKER_COMMAND), "worker")
    if redis_server is not None:
        redis_server.reap_orphan()
    if postgres is not None:
        postgres.reap_orphan()
