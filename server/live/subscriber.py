"""One subscription's bounded queue between the hub and its WebSocket."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable

from server import metrics
from server.events import Envelope, Event

EventFilter = Callable[[Event], bool]


class SlowConsumerError(Exception):
    """The subscriber fell more than its queue's capacity behind and was dropped."""


class Subscriber:
    """Events the hub offered and the WebSocket has not sent yet, at most `capacity`.

    When the queue is full the subscriber is not blocked on, and nothing is dropped
    silently: the queue is emptied (its memory freed at once), the subscriber is marked
    overflowed, and its next `next()` raises, so the connection is closed with a code and
    the client resumes with `since` from the last event it received.
    """

    __slots__ = ("_queue", "_ready", "accepts", "capacity", "overflowed", "start_id")

    def __init__(self, accepts: EventFilter, capacity: int, start_id: str) -> None:
        self.accepts = accepts
        self.capacity = capacity
        # Every event after this id reaches the queue; the ones up to it came before.
        self.start_id = start_id
        self.overflowed = False
        self._queue: deque[Envelope] = deque()
        self._ready = asyncio.Event()

    def __len__(self) -> int:
        return len(self._queue)

    def offer(self, envelope: Envelope) -> bool:
        """Queues the event if it matches; False when the subscriber just overflowed."""
        if self.overflowed or not self.accepts(envelope.event):
            return not self.overflowed
        if len(self._queue) >= self.capacity:
            self.overflowed = True
            self._queue.clear()
            self._ready.set()
            return False
        self._queue.append(envelope)
        self._ready.set()
        return True

    async def next(self) -> Envelope:
        while not self._queue:
            if self.overflowed:
                raise SlowConsumerError
            self._ready.clear()
            await self._ready.wait()
        if self.overflowed:
            raise SlowConsumerError
        metrics.EVENTS_DELIVERED.inc()
        return self._queue.popleft()
