"""Real processes for the live tests: API servers (`stonks serve`) and a throwaway Redis."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# /live/stats is for operators: the processes get this admin key unless a test sets one.
OPERATOR_KEY = "live-tests-operator-key-0123456789abcdef"


@dataclass
class ApiProcess:
    process: subprocess.Popen[bytes]
    port: int
    admin_key: str = OPERATOR_KEY

    @property
    def operator_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin_key}"}

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"

    def stats(self) -> dict[str, Any]:
        response = httpx.get(
            f"http://127.0.0.1:{self.port}/live/stats", headers=self.operator_headers, timeout=5
        )
        response.raise_for_status()
        stats: dict[str, Any] = response.json()
        return stats

    def rss_bytes(self) -> int:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(line.split()[1]) * 1024

    async def wait_for(self, predicate: Any, what: str, timeout_s: float = 20) -> dict[str, Any]:
        """Polls /live/stats until `predicate(stats)` holds (a readiness wait, not a timing)."""
        deadline = time.monotonic() + timeout_s
        async with httpx.AsyncClient() as client:
            while True:
                response = await client.get(
                    f"http://127.0.0.1:{self.port}/live/stats", headers=self.operator_headers
                )
                stats: dict[str, Any] = response.json()
                if predicate(stats):
                    return stats
                if time.monotonic() > deadline:
                    raise AssertionError(f"{what} did not happen within {timeout_s}s: {stats}")
                await asyncio.sleep(0.05)


@contextlib.contextmanager
def api_process(
    database_url: str,
    redis_url: str,
    namespace: str,
    *,
    wait_for_redis: bool = True,
    **settings: str,
) -> Iterator[ApiProcess]:
    """`stonks serve` with these settings; ready once it serves (and follows Redis, if asked)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env |= {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "REDIS_NAMESPACE": namespace,
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
        "ADMIN_API_KEY": OPERATOR_KEY,
    } | {name.upper(): value for name, value in settings.items()}
    process = subprocess.Popen([sys.executable, "-m", "server.cli", "serve"], env=env)
    api = ApiProcess(process, port, env["ADMIN_API_KEY"])
    try:
        _wait_until_serving(api, wait_for_redis)
        yield api
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_serving(api: ApiProcess, wait_for_redis: bool) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if api.process.poll() is not None:
            raise AssertionError(f"the API process exited with {api.process.returncode}")
        try:
            if api.stats()["connected"] or not wait_for_redis:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"the API process did not serve within {START_TIMEOUT_S}s")


@dataclass
class ThrowawayRedis:
    """A private redis-server (append-only, so a restart keeps the log) that tests may restart."""

    directory: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "/usr/bin/redis-server",
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--dir", str(self.directory),
                "--appendonly", "yes",
                "--save", "",
                "--logfile", str(self.directory / "redis.log"),
            ],
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not _port_open(self.port):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError("the throwaway redis-server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def throwaway_redis(directory: Path) -> Iterator[ThrowawayRedis]:
    redis = ThrowawayRedis(directory, free_port())
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()
