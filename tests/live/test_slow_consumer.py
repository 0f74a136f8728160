"""A client that stops reading is dropped with a close code; nobody else waits, memory stays put."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from redis.asyncio import Redis

from server.events import EventBus
from tests.live.conftest import Figure, tick
from tests.live.servers import ApiProcess, api_process
from tests.live.wsclient import Follower, StalledClient

QUEUE_SIZE = 100
EVENTS = 10_000
BATCH = 50
# Big messages (about 3 KB each) fill the kernel's socket buffers (up to 4 MiB) quickly.
_BULKY_FIELDS = " ".join(f"m{n}: minifigure {{ id figNum name theme imageUrl }}" for n in range(25))
BULKY_TICKS = f"subscription {{ priceTicks {{ eventId {_BULKY_FIELDS} }} }}"


@pytest.fixture(scope="module")
def slow_namespace() -> str:
    return f"test:{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def small_queue_api(database_url: str, redis_url: str, slow_namespace: str) -> Iterator[ApiProcess]:
    with api_process(
        database_url, redis_url, slow_namespace, live_queue_size=str(QUEUE_SIZE)
    ) as process:
        yield process


@pytest.fixture
async def slow_bus(redis_url: str, slow_namespace: str) -> AsyncIterator[EventBus]:
    redis = Redis.from_url(redis_url)
    bus = EventBus(redis, namespace=slow_namespace, log_length=EVENTS * 2)
    yield bus
    await redis.delete(bus.log_key)
    await redis.aclose()


async def test_a_client_that_never_reads_is_dropped_without_holding_memory_or_others(
    small_queue_api: ApiProcess, slow_bus: EventBus, figures: dict[str, Figure]
) -> None:
    api = small_queue_api
    luke = figures["sw0001a"]
    reader = Follower(api.ws_url)
    await reader.start()
    stalled = StalledClient(api.port)
    stalled.subscribe(BULKY_TICKS)
    await api.wait_for(lambda s: s["subscribers"] == 2, "subscribing")

    deepest = 0
    ids: list[str] = []
    for first in range(0, EVENTS, BATCH):
        ids += await slow_bus.publish([tick(luke, first + n) for n in range(BATCH)])
        deepest = max(deepest, api.stats()["deepest_queue"])
        # Paced by the reader: it keeps up, so only the stalled client can overflow.
        await reader.wait_for(ids[-1])
    stats = await api.wait_for(lambda s: s["slow_consumers_dropped"] == 1, "dropping")

    assert reader.ids == ids  # the reader got everything, in order, while the other stalled
    # The hub's queues are the only place this process holds events for a client:
    # bounded while the stalled client was connected, released when it was dropped.
    assert deepest <= QUEUE_SIZE
    assert stats["subscribers"] == 1
    assert stats["queued_events"] <= QUEUE_SIZE
    # Once it reads again, the stalled client learns why it was dropped.
    assert stalled.close_code() == 4008
    stalled.sock.close()
    await reader.stop()


# uvicorn's WebSocket pings (20 s interval, 20 s timeout) would have closed it with 1011 by then.
STALL_SECONDS = 45


async def test_a_client_stalled_long_after_being_dropped_still_reads_4008(
    small_queue_api: ApiProcess, slow_bus: EventBus, figures: dict[str, Figure]
) -> None:
    api = small_queue_api
    luke = figures["sw0001a"]
    before = api.stats()["slow_consumers_dropped"]
    stalled = StalledClient(api.port)
    stalled.subscribe(BULKY_TICKS)
    await api.wait_for(lambda s: s["subscribers"] >= 1, "subscribing")

    sent = 0
    while api.stats()["slow_consumers_dropped"] == before:
        await slow_bus.publish([tick(luke, sent + n) for n in range(BATCH)])
        sent += BATCH
        assert sent <= EVENTS, "the stalled client was never dropped"
    await asyncio.sleep(STALL_SECONDS)  # the client still reads nothing

    assert stalled.close_code() == 4008
    stalled.sock.close()
