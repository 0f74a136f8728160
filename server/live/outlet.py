"""One WebSocket's outgoing frames: a bounded queue drained by a writer that exists only
while there is something to send.

Frames arrive already serialized (the shared operations build each `next` payload once),
so sending one costs a string concatenation and a socket write. When a client falls
`capacity` frames behind, the queue is emptied (its memory freed at once), the hub
counts the drop, and the connection is closed with 4008 at once, even while a send to
that client is stuck (the connection's end ends its subscriptions); the client resumes
with `since`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable

logger = logging.getLogger("server.live")

# Sent when a subscriber fell a whole queue behind; the client resumes with `since`.
SLOW_CONSUMER_CLOSE_CODE = 4008
SLOW_CONSUMER_REASON = "Slow consumer: resubscribe with since"

SendText = Callable[[str], Awaitable[None]]
Close = Callable[[int, str], Awaitable[None]]


# A frame, or a protocol message with the future its sender awaits.
_Item = str | tuple[str, "asyncio.Future[None]"]


class Outlet:
    __slots__ = (
        "_close",
        "_closer",
        "_listeners",
        "_queue",
        "_room",
        "_send_text",
        "_writer",
        "capacity",
        "closed",
        "dropped",
    )

    def __init__(self, send_text: SendText, close: Close, capacity: int) -> None:
        self._send_text = send_text
        self._close = close
        self.capacity = capacity
        self._queue: deque[_Item] = deque()
        self._writer: asyncio.Task[None] | None = None
        self._closer: asyncio.Task[None] | None = None
        self._listeners: set[Callable[[], None]] = set()
        self._room: asyncio.Event | None = None
        self.dropped = False
        self.closed = False

    def __len__(self) -> int:
        return len(self._queue)

    def on_drop(self, callback: Callable[[], None]) -> None:
        self._listeners.add(callback)

    async def room(self) -> None:
        """Waits until at most half the queue is in use (a replay paces itself with this)."""
        while not (self.dropped or self.closed) and len(self._queue) > self.capacity // 2:
            self._room = self._room or asyncio.Event()
            await self._room.wait()

    def push(self, frame: str) -> None:
        """Queues a frame; drops the connection when it is `capacity` frames behind."""
        if self.dropped or self.closed:
            return
        if len(self._queue) >= self.capacity:
            self.drop()
            return
        self._enqueue(frame)

    async def send_now(self, frame: str) -> None:
        """Sends a protocol message (ack, pong, complete, error) after the queued frames."""
        if self.dropped or self.closed:
            return
        if self._writer is None and not self._queue:
            await self._send_text(frame)
            return
        sent = asyncio.get_running_loop().create_future()
        self._enqueue((frame, sent))
        await sent

    def shut(self) -> None:
        """The connection is ending: nothing more is sent."""
        self.closed = True
        self._clear()
        if self._room is not None:
            self._room.set()
        for task in (self._writer, self._closer):
            if task is not None:
                task.cancel()

    def _enqueue(self, item: _Item) -> None:
        self._queue.append(item)
        if self._writer is None:
            self._writer = asyncio.create_task(self._write())

    def _clear(self) -> None:
        for item in self._queue:
            if isinstance(item, tuple) and not item[1].done():
                item[1].cancel()
        self._queue.clear()

    async def _write(self) -> None:
        try:
            while self._queue:
                item = self._queue.popleft()
                frame, sent = (item, None) if isinstance(item, str) else item
                try:
                    await self._send_text(frame)
                finally:
                    if sent is not None and not sent.done():
                        sent.set_result(None)  # sent, or never will be: the sender goes on
                if self._room is not None and len(self._queue) <= self.capacity // 2:
                    self._room.set()
                    self._room = None
        except Exception:  # the connection went away; its handler cleans up
            self._clear()
        finally:
            self._writer = None

    def drop(self) -> None:
        """Ends the connection as a slow consumer (4008), whatever is still queued."""
        if self.dropped or self.closed:
            return
        self.dropped = True
        self._clear()
        if self._writer is not None:
            # Possibly stuck behind a full socket: the close must not wait for it.
            self._writer.cancel()
            self._writer = None
        if self._room is not None:
            self._room.set()
        for callback in list(self._listeners):
            callback()
        self._closer = asyncio.create_task(self._close_slow_consumer())

    async def _close_slow_consumer(self) -> None:
        with contextlib.suppress(Exception):
            await self._close(SLOW_CONSUMER_CLOSE_CODE, SLOW_CONSUMER_REASON)
