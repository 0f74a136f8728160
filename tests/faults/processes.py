"""Real processes to break: a Redis server of the test's own, `stonks` commands.

Faults are injected with signals (SIGKILL, SIGSTOP/SIGCONT) into real servers; nothing
here imitates a server.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from server.embedded import redis_answers

STARTUP_TIMEOUT_S = 90.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> float:
    """Polls until `condition()`; returns the seconds it took, fails after `timeout_s`."""
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        if condition():
            return time.monotonic() - start
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout_s}s: {what}")


async def until(condition: Callable[[], Awaitable[bool]], timeout_s: float, what: str) -> float:
    """`wait_for` for a test whose event loop must keep running (live clients read on it)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        if await condition():
            return time.monotonic() - start
        await asyncio.sleep(0.1)
    raise AssertionError(f"not within {timeout_s}s: {what}")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purposes.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.split(") ", 1)[1][0] != "Z"


class OwnRedis:
    """A redis-server on a free TCP port, killed and restarted at will (same port)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(lambda: redis_answers(self.url), 10, "redis-server answers")

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def freeze(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.thaw()
            self.kill()


def stonks_environment(**values: str) -> dict[str, str]:
    """The test's environment minus service settings, plus `values` (upper-cased names)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    return env | {"LOG_LEVEL": "INFO"} | {k.upper(): v for k, v in values.items()}


def stonks(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "server.cli", *args],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def http_get(port: int, path: str, timeout_s: float = 5.0) -> httpx.Response:
    return httpx.get(f"http://127.0.0.1:{port}{path}", timeout=timeout_s)


def serving(port: int) -> bool:
    try:
        http_get(port, "/healthz", timeout_s=2)
    except httpx.TransportError:
        return False
    return True


def stop(process: subprocess.Popen[bytes], timeout_s: float = 20) -> int:
    """SIGTERM, then SIGKILL if it will not go; returns the exit code."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise AssertionError(f"pid {process.pid} ignored SIGTERM for {timeout_s}s") from None
    return process.returncode


def processes_with(command_part: str, environment_entry: str) -> list[int]:
    """Live pids whose command line contains `command_part` and environment the entry."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            environment = (entry / "environ").read_bytes().split(b"\0")
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        matches = command_part in command and environment_entry.encode() in environment
        if matches and alive(int(entry.name)):
            found.append(int(entry.name))
    return found


def read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split("\n", 1)[0].strip())
    except (FileNotFoundError, ValueError):
        return None
