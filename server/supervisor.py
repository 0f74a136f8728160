"""Keeps the children of `stonks up` running: restarts the dead ones, with backoff.

A thread checks every second; a dead child is restarted after a delay that doubles
with each failure in a row (1 s up to 30 s) and resets once it has stayed up a minute.
Every restart is logged. On stop, the thread stops the children in reverse start
order (worker before Redis and PostgreSQL) and only then exits.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

CHECK_INTERVAL_S = 1.0
BACKOFF_FIRST_S = 1.0
BACKOFF_MAX_S = 30.0
STABLE_AFTER_S = 60.0


@dataclass
class Child:
    name: str
    start: Callable[[], object]
    alive: Callable[[], bool]
    stop: Callable[[], None]
    restarts: int = 0
    _delay: float = 0.0
    _next_attempt: float = 0.0
    _up_since: float = 0.0


class Supervisor:
    def __init__(self, children: list[Child]) -> None:
        self.children = children
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stonks-supervisor", daemon=True)

    def start(self) -> None:
        now = time.monotonic()
        for child in self.children:
            child._up_since = now
        self._thread.start()

    def stop(self) -> None:
        """Stops the watch and then every child, last started first."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()
        else:
            self._stop_children()

    def _run(self) -> None:
        try:
            while not self._stopping.wait(CHECK_INTERVAL_S):
                for child in self.children:
                    self._check(child)
        finally:
            # Here, in this thread: children it restarted die with it (PR_SET_PDEATHSIG).
            self._stop_children()

    def _check(self, child: Child) -> None:
        now = time.monotonic()
        if child.alive():
            if child._delay and now - child._up_since > STABLE_AFTER_S:
                child._delay = 0.0
            return
        if child._next_attempt == 0.0:
            child._delay = min(max(child._delay * 2, BACKOFF_FIRST_S), BACKOFF_MAX_S)
            child._next_attempt = now + child._delay
            logger.warning("%s is not running; restarting in %.0fs", child.name, child._delay)
            return
        if now < child._next_attempt or self._stopping.is_set():
            return
        child._next_attempt = 0.0
        child.restarts += 1
        try:
            child.start()
        except Exception:
            logger.exception("%s failed to restart (attempt %d)", child.name, child.restarts)
            return
        child._up_since = time.monotonic()
        logger.warning("%s restarted (restart %d)", child.name, child.restarts)

    def _stop_children(self) -> None:
        for child in reversed(self.children):
            try:
                child.stop()
            except Exception:
                logger.exception("stopping %s failed", child.name)
