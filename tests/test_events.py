"""The event log and live channel on real Redis."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from redis.asyncio import Redis

from server.events import (
    EventBus,
    MalformedEventError,
    PriceTick,
    SnapshotUpdated,
    SyncRunUpdated,
    decode,
    encode,
    message_id,
)

LUKE = "0b6c7a43-5d0e-4c56-9a55-1c2b3d4e5f60"


def tick(listing_id: int) -> PriceTick:
    return PriceTick(
        listing_id=listing_id,
        minifigure_id=LUKE,
        fig_num="sw0001a",
        theme="Star Wars",
        source="bricklink",
        kind="SOLD",
        condition="USED",
        price_usd=Decimal("12.50"),
        quantity=1,
        observed_at=datetime(2026, 11, 1, 12, tzinfo=UTC),
        excluded_reason=None,
    )


@pytest.fixture
async def bus(redis_url: str) -> AsyncIterator[EventBus]:
    redis = Redis.from_url(redis_url)
    bus = EventBus(redis, namespace=f"test:{uuid.uuid4().hex}", log_length=1000)
    yield bus
    await redis.delete(bus.log_key)
    await redis.aclose()


@pytest.mark.parametrize(
    "event",
    [
        tick(1),
        SnapshotUpdated(minifigure_id="m", day=date(2026, 11, 1), condition="NEW"),
        SyncRunUpdated(
            sync_run_id=3, source="ebay", status="failed", seen=2, saved=1, rejected=1, error="x"
        ),
    ],
)
def test_events_survive_encoding(event: PriceTick | SnapshotUpdated | SyncRunUpdated) -> None:
    assert decode(encode(event)) == event


@pytest.mark.parametrize("payload", ["{", '{"type": "nope"}', '{"type": "price_tick"}'])
def test_malformed_payloads_raise_a_typed_error(payload: str) -> None:
    with pytest.raises(MalformedEventError):
        decode(payload)


async def test_published_events_are_pushed_live_with_their_log_ids(bus: EventBus) -> None:
    pubsub = bus.redis.pubsub()
    await pubsub.subscribe(bus.channel)
    await pubsub.get_message(timeout=1)  # the subscribe confirmation

    ids = await bus.publish([tick(1), tick(2)])

    received: list[bytes] = []
    while len(received) < 2:
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=2)
        assert message is not None, "no live message within 2s"
        received.append(message["data"])
    await pubsub.aclose()  # type: ignore[no-untyped-call]
    assert [message_id(data) for data in received] == ids
    assert [decode(data.partition(b" ")[2]) for data in received] == [tick(1), tick(2)]


async def test_read_since_replays_what_came_after_in_order(bus: EventBus) -> None:
    first, second, third = await bus.publish([tick(1), tick(2), tick(3)])

    replay = (await bus.read_log(first)).envelopes

    assert [envelope.id for envelope in replay] == [second, third]
    assert [envelope.event for envelope in replay] == [tick(2), tick(3)]
    assert (await bus.read_log(third)).envelopes == []
    assert await bus.can_resume_from(first)


async def test_ids_increase_across_concurrent_publishers(bus: EventBus) -> None:
    batches = await asyncio.gather(*(bus.publish([tick(i)]) for i in range(20)))
    ids = [batch[0] for batch in batches]

    logged = [envelope.id for envelope in (await bus.read_log("0-0")).envelopes]

    assert sorted(ids, key=lambda i: tuple(map(int, i.split("-")))) == logged
