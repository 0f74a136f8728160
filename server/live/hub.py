"""The per-process hub: one Redis subscription, fanned out in memory through a route index.

The pub/sub channel is used as a doorbell, the stream log as the source of truth: on
each message whose id is past what the hub has dispatched, the hub reads the log from
its last dispatched id. Several workers publishing at once may PUBLISH in a different
order than they XADDed; reading the log keeps every subscriber's sequence in log order
with nothing skipped, and costs one XRANGE per burst, not one per event or subscriber.

Each event goes to the audiences (shared operations) that the route index finds for it,
never to every subscriber in turn; an audience executes its operation once per event and
hands the serialized result to each of its subscribers' outlets.

After a Redis error the hub reconnects with exponential backoff, resubscribes, and
re-reads the log from its last dispatched id, so connected subscribers see no gap.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Hashable
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
from server.live.outlet import Outlet
from server.live.routing import Audience, RouteIndex

logger = logging.getLogger("server.live")

_LOG_PAGE = 1000
# Without any message for this long the hub re-reads the log anyway: an event whose
# PUBLISH was lost (Redis failed between XADD and PUBLISH) is delivered at the latest then.
_IDLE_CHECK_SECONDS = 5.0
_PING = '{"type":"ping"}'
_BACKOFF_FIRST_SECONDS = 0.1
_BACKOFF_MAX_SECONDS = 5.0
_CLOSE_TIMEOUT_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class HubStats:
    connected: bool
    last_id: str
    subscribers: int
    # Distinct operations: subscribers with the same document, variables and
    # authorization share one, and with it one execution per event.
    shared_operations: int
    executions: int
    connections: int
    queued_events: int
    deepest_queue: int
    queue_capacity: int
    dispatched_events: int
    slow_consumers_dropped: int
    reconnects: int
    minifigure_queries: int


class LiveHub:
    def __init__(
        self,
        bus: EventBus,
        minifigures: MinifigureCache,
        *,
        queue_capacity: int,
        ping_interval_s: float = 15.0,
    ) -> None:
        self.bus = bus
        self.ping_interval_s = ping_interval_s
        self._pinger: asyncio.Task[None] | None = None
        self.minifigures = minifigures
        self.queue_capacity = queue_capacity
        self.last_id = "0-0"
        self.connected = False
        self.routes = RouteIndex()
        self._audiences: dict[Hashable, Audience] = {}
        self._outlets: set[Outlet] = set()
        self.subscribers = 0
        self.executions = 0
        self._task: asyncio.Task[None] | None = None
        self._started = asyncio.Event()
        self._dispatched = 0
        self._dropped = 0
        self._reconnects = 0

    async def start(self) -> None:
        """Starts following the log from its newest event (or from the first, when empty)."""
        self._task = asyncio.create_task(self._run(), name="live-hub")
        self._pinger = asyncio.create_task(self._ping(), name="live-pings")

    async def stop(self) -> None:
        for task in (self._task, self._pinger):
            if task is not None:
                await _cancel(task)
        self._task = self._pinger = None

    async def _ping(self) -> None:
        """graphql-transport-ws pings to every connection: one task, not one per connection."""
        while True:
            await asyncio.sleep(self.ping_interval_s)
            for outlet in list(self._outlets):
                outlet.push(_PING)

    async def wait_started(self) -> None:
        """Waits until the hub knows its starting position in the log."""
        await self._started.wait()

    def audience(self, key: Hashable) -> Audience | None:
        """The shared operation already serving subscriptions with this key, if any."""
        return self._audiences.get(key)

    def join(self, key: Hashable, audience: Audience) -> None:
        self._audiences[key] = audience
        self.routes.add(audience)

    def leave(self, key: Hashable, audience: Audience) -> None:
        if self._audiences.get(key) is audience:
            del self._audiences[key]
        self.routes.remove(audience)

    def attach(self, outlet: Outlet) -> None:
        """Counts a connection's outlet in the stats; a slow consumer's drop, too."""
        self._outlets.add(outlet)
        outlet.on_drop(self._count_drop)

    def detach(self, outlet: Outlet) -> None:
        self._outlets.discard(outlet)

    def _count_drop(self) -> None:
        self._dropped += 1
        metrics.EVENTS_DROPPED.inc()

    def stats(self) -> HubStats:
        depths = [len(o) for o in self._outlets]
        return HubStats(
            connected=self.connected,
            last_id=self.last_id,
            subscribers=self.subscribers,
            shared_operations=len(self._audiences),
            executions=self.executions,
            connections=len(depths),
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
                self._lost()
                logger.warning("live hub lost Redis (%s); reconnecting in %.1fs", error, delay)
            except Exception:
                # A bug or an unexpected reply must not end live updates for good.
                self._lost()
                logger.exception("live hub failed; restarting in %.1fs", delay)
            # Always a pause: a refused Unix socket fails without ever yielding, so without
            # one the process would spin, stop serving HTTP and ignore signals.
            await asyncio.sleep(delay)
            delay = min(delay * 2, _BACKOFF_MAX_SECONDS)

    def _lost(self) -> None:
        self.connected = False
        self._reconnects += 1

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
            # Bounded: closing waits on the subscription's connection, which a stop can
            # leave waiting for good.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(pubsub.aclose(), _CLOSE_TIMEOUT_SECONDS)  # type: ignore[no-untyped-call]

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
        for audience in self.routes.matching(envelope.event):
            try:
                audience.offer(envelope)
            except Exception:
                # One operation's bug must not stop the others (nor replay this event forever).
                logger.exception("a live operation failed on event %s", envelope.id)
        metrics.observe_dispatch(envelope.id)
        self.last_id = envelope.id


async def _cancel(task: asyncio.Task[None]) -> None:
    """Cancels until the task has ended.

    One cancellation is not always enough: when redis-py's read timeout fires at the moment
    of the cancellation, its timeout context turns the CancelledError into a timeout, the
    read returns nothing and the follow loop goes on (seen as a stop that hung for good).
    """
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=_CLOSE_TIMEOUT_SECONDS)
    with contextlib.suppress(asyncio.CancelledError):
        task.result()


def minifigure_ids(envelopes: list[Envelope]) -> list[str]:
    return [
        e.event.minifigure_id for e in envelopes if isinstance(e.event, PriceTick | SnapshotUpdated)
    ]
