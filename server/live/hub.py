"""The per-process hub: one Redis subscription, fanned out in memory.

The pub/sub channel is used as a doorbell, the stream log as the source of truth: on
each message whose id is past what the hub has dispatched, the hub reads the log from
its last dispatched id. Several workers publishing at once may PUBLISH in a different
order than they XADDed; reading the log keeps every subscriber's sequence in log order
with nothing skipped, and costs one XRANGE per burst, not one per event or subscriber.

After a Redis error the hub reconnects with exponential backoff, resubscribes, and
re-reads the log from its last dispatched id, so connected subscribers see no gap.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from server import metrics
from server.events import (
    Envelope,
    EventBus,
    PriceTick,
    SnapshotUpdated,
    event_id_key,
    message_id,
)
from server.live.minifigures import MinifigureCache
from server.live.subscriber import EventFilter, Subscriber

logger = logging.getLogger("server.live")

_LOG_PAGE = 1000
# Without any message for this long the hub re-reads the log anyway: an event whose
# PUBLISH was lost (Redis failed between XADD and PUBLISH) is delivered at the latest then.
_IDLE_CHECK_SECONDS = 5.0
_BACKOFF_FIRST_SECONDS = 0.1
_BACKOFF_MAX_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class HubStats:
    connected: bool
    last_id: str
    subscribers: int
    queued_events: int
    deepest_queue: int
    queue_capacity: int
    dispatched_events: int
    slow_consumers_dropped: int
    reconnects: int
    minifigure_queries: int


class LiveHub:
    def __init__(self, bus: EventBus, minifigures: MinifigureCache, *, queue_capacity: int) -> None:
        self.bus = bus
        self.minifigures = minifigures
        self.queue_capacity = queue_capacity
        self.last_id = "0-0"
        self.connected = False
        self._subscribers: set[Subscriber] = set()
        self._task: asyncio.Task[None] | None = None
        self._started = asyncio.Event()
        self._dispatched = 0
        self._dropped = 0
        self._reconnects = 0

    async def start(self) -> None:
        """Starts following the log from its newest event (or from the first, when empty)."""
        self._task = asyncio.create_task(self._run(), name="live-hub")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def wait_started(self) -> None:
        """Waits until the hub knows its starting position in the log."""
        await self._started.wait()

    def subscribe(self, accepts: EventFilter) -> Subscriber:
        subscriber = Subscriber(accepts, self.queue_capacity, start_id=self.last_id)
        self._subscribers.add(subscriber)
        metrics.SUBSCRIPTIONS.inc()
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        if subscriber in self._subscribers:
            self._subscribers.discard(subscriber)
            metrics.SUBSCRIPTIONS.dec()

    def stats(self) -> HubStats:
        depths = [len(s) for s in self._subscribers]
        return HubStats(
            connected=self.connected,
            last_id=self.last_id,
            subscribers=len(depths),
            queued_events=sum(depths),
            deepest_queue=max(depths, default=0),
            queue_capacity=self.queue_capacity,
            dispatched_events=self._dispatched,
            slow_consumers_dropped=self._dropped,
            reconnects=self._reconnects,
            minifigure_queries=self.minifigures.queries,
        )

    async def _run(self) -> None:
        delay = _BACKOFF_FIRST_SECONDS
        while True:
            try:
                await self._follow()
            except (RedisConnectionError, RedisTimeoutError, OSError) as error:
                if self.connected:  # it had worked: start the backoff over
                    delay = _BACKOFF_FIRST_SECONDS
                self.connected = False
                self._reconnects += 1
                logger.warning("live hub lost Redis (%s); reconnecting in %.1fs", error, delay)
            except Exception:
                # A bug or an unexpected reply must not end live updates for good.
                self.connected = False
                self._reconnects += 1
                logger.exception("live hub failed; restarting in %.1fs", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, _BACKOFF_MAX_SECONDS)

    async def _follow(self) -> None:
        pubsub = self.bus.redis.pubsub()
        try:
            await pubsub.subscribe(self.bus.channel)
            if not self._started.is_set():
                self.last_id = await self.bus.latest_id() or "0-0"
                self._started.set()
            # Subscribed first, then read: whatever is published meanwhile is either in
            # this read or rings the doorbell afterwards.
            await self._catch_up()
            self.connected = True
            while True:
                message = await pubsub.get_message(
                    ignore_subscribe_messages=True, timeout=_IDLE_CHECK_SECONDS
                )
                # None: nothing for a while; a check costs one XRANGE and catches lost PUBLISHes.
                if message is None or self._is_new(message["data"]):
                    await self._catch_up()
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    def _is_new(self, data: bytes) -> bool:
        return event_id_key(message_id(data)) > event_id_key(self.last_id)

    async def _catch_up(self) -> None:
        while True:
            page = await self.bus.read_log(self.last_id, count=_LOG_PAGE)
            if page.last_id is None:
                return
            await self._prefetch_minifigures(page.envelopes)
            # No await from here to the end of the page: a subscriber registered at any
            # await point has seen nothing after `last_id` and will get everything after it.
            for envelope in page.envelopes:
                self._dispatch(envelope)
            self.last_id = page.last_id

    async def _prefetch_minifigures(self, envelopes: list[Envelope]) -> None:
        try:
            await self.minifigures.prefetch(minifigure_ids(envelopes))
        except Exception:
            # Events go out without their minifigure rather than not at all.
            logger.exception("could not load the minifigures of live events")

    def _dispatch(self, envelope: Envelope) -> None:
        self._dispatched += 1
        overflowed = [s for s in self._subscribers if not s.offer(envelope)]
        for subscriber in overflowed:
            self._subscribers.discard(subscriber)
            self._dropped += 1
        metrics.SUBSCRIPTIONS.dec(len(overflowed))
        metrics.observe_dispatch(envelope.id, dropped=len(overflowed))
        self.last_id = envelope.id


def minifigure_ids(envelopes: list[Envelope]) -> list[str]:
    return [
        e.event.minifigure_id for e in envelopes if isinstance(e.event, PriceTick | SnapshotUpdated)
    ]
