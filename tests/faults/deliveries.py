"""What live subscribers received, against what was committed and logged."""

from __future__ import annotations

from typing import Any

from server.events import EventBus, PriceTick
from server.graphql.node import from_global_id
from tests.databases import fetch_value
from tests.live.wsclient import Follower

_LOG_READ = 100_000


def listing_id(tick: dict[str, Any]) -> int:
    return int(from_global_id(tick["listingId"])[1])


async def committed_listings(database_url: str) -> list[int]:
    ids = await fetch_value(database_url, "SELECT array_agg(id ORDER BY id) FROM price_listings")
    assert isinstance(ids, list)
    return ids


async def received_all(follower: Follower, listing_ids: list[int]) -> bool:
    return {listing_id(tick) for tick in follower.ticks} >= set(listing_ids)


async def assert_each_delivered_once(
    follower: Follower, bus: EventBus, committed_before: list[int], committed_after: list[int]
) -> None:
    """Each listing committed before the subscriber was last checked reached it, once, in
    the log's order; nothing else did (`committed_after`: listings when it stopped)."""
    assert not follower.errors
    received = [listing_id(tick) for tick in follower.ticks]
    assert len(set(received)) == len(received), "a listing delivered twice"
    assert set(committed_before) <= set(received) <= set(committed_after)
    logged = (await bus.read_log("0-0", _LOG_READ)).envelopes
    ticks = [e.id for e in logged if isinstance(e.event, PriceTick)]
    assert follower.ids == ticks[: len(follower.ids)]
