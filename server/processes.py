"""Child processes of `stonks up`: tied to its life, found again after it was killed.

Children run in their own sessions (a terminal's Ctrl-C goes to `up` alone, which
stops them in order). If `up` is SIGKILLed, children it spawned get SIGTERM from the
kernel (PR_SET_PDEATHSIG); servers that daemonize (PostgreSQL) and anything left by
an older version are found through their pid files at the next start.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import time
from pathlib import Path

logger = logging.getLogger(__name__)

STOP_TIMEOUT_S = 20.0
_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """preexec_fn: the kernel sends SIGTERM to the child when its parent thread exits."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return "Z" not in _state(pid)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][:1]
    except (FileNotFoundError, IndexError):
        return ""


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def stop_pid(pid: int, name: str, sig: signal.Signals = signal.SIGTERM) -> None:
    """Sends `sig`, waits up to STOP_TIMEOUT_S, then SIGKILL."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return
        time.sleep(0.05)
    logger.warning("%s (pid %s) did not stop within %ss; killing it", name, pid, STOP_TIMEOUT_S)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def stop_process(process: subprocess.Popen[bytes], name: str) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        logger.warning("%s did not stop within %ss; killing it", name, STOP_TIMEOUT_S)
        process.kill()
        process.wait()


def write_pid_file(path: Path, pid: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{pid}\n")


def reap_pid_file(path: Path, expected: str, name: str) -> None:
    """Stops the process a stale pid file names, if it is still the one we started."""
    try:
        pid = int(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        path.unlink(missing_ok=True)
        return
    if pid != os.getpid() and pid_alive(pid) and expected in command_line(pid):
        logger.warning("stopping the %s left running by an earlier stonks up (pid %s)", name, pid)
        stop_pid(pid, name)
    path.unlink(missing_ok=True)
