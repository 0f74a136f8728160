"""Execute once, send many: identical subscriptions share one execution per event, each
execution sees fresh data, and subscriptions obey the query cost limit."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from server.events import EventBus
from server.graphql.node import to_global_id
from server.settings import Settings
from server.store.listings import insert_listings
from tests.factories import listing
from tests.live.conftest import Figure, tick
from tests.live.servers import ApiProcess
from tests.live.wsclient import Follower, connect, receive, send

LUKE_ONLY = {"filter": {"figNums": ["sw0001a"]}}


async def test_identical_subscriptions_share_one_execution_per_event(
    api: ApiProcess, bus: EventBus, figures: dict[str, Figure]
) -> None:
    luke, batman = figures["sw0001a"], figures["sh0001"]
    same = [Follower(api.ws_url, LUKE_ONLY) for _ in range(4)]
    other = Follower(api.ws_url, {"filter": {"figNums": ["sh0001"]}})
    for follower in [*same, other]:
        await follower.start()
    before = await api.wait_for(lambda s: s["subscribers"] == 5, "subscribing")

    ids = await bus.publish([tick(luke, n) for n in range(1, 4)])
    ids += await bus.publish([tick(batman, 4)])
    for follower in same:
        await follower.wait_for(ids[2])
    await other.wait_for(ids[3])
    after = api.stats()

    assert before["shared_operations"] == 2
    assert all(follower.ids == ids[:3] for follower in same)
    assert other.ids == ids[3:]
    # One execution per event and distinct operation: 3 for Luke's 4 subscribers, 1 for Batman's.
    assert after["executions"] - before["executions"] == 4
    for follower in [*same, other]:
        await follower.stop()


NESTED_LISTINGS = """
subscription Fresh($filter: PriceTickFilter) {
  priceTicks(filter: $filter) { eventId minifigure { listings(first: 1) { nodes { id } } } }
}
"""


async def test_nested_fields_of_each_event_are_read_fresh(
    api: ApiProcess, bus: EventBus, figures: dict[str, Figure], committed: AsyncSession
) -> None:
    luke = figures["sw0001a"]
    ws = await connect(api.ws_url)
    await send(
        ws,
        {
            "id": "f",
            "type": "subscribe",
            "payload": {"query": NESTED_LISTINGS, "variables": LUKE_ONLY},
        },
    )
    await api.wait_for(lambda s: s["subscribers"] >= 1, "subscribing")

    newest_first: list[str] = []
    for day in (1, 2, 3):
        [stored] = await insert_listings(
            committed,
            [
                listing(
                    uuid.UUID(luke.id),
                    external_id=f"fresh-{day}",
                    observed_at=datetime(2026, 11, day, 12, tzinfo=UTC),
                )
            ],
        )
        await committed.commit()
        await bus.publish([tick(luke, stored.id)])
        message = await receive(ws)
        minifigure = message["payload"]["data"]["priceTicks"]["minifigure"]
        newest_first.append(minifigure["listings"]["nodes"][0]["id"])
        assert newest_first[-1] == to_global_id("Listing", stored.id), day
    assert len(set(newest_first)) == 3
    await ws.close()


# Each `listings(first: 100)` multiplies what is under it by 100: about 60,000 in all.
COSTLY = """
subscription {
  priceTicks {
    minifigure {
      a: listings(first: 100) { nodes { minifigure { listings(first: 100) { nodes { id } } } } }
      b: listings(first: 100) { nodes { minifigure { listings(first: 100) { nodes { id } } } } }
      c: listings(first: 100) { nodes { minifigure { listings(first: 100) { nodes { id } } } } }
    }
  }
}
"""


async def test_a_subscription_over_the_cost_limit_is_refused(api: ApiProcess) -> None:
    ws = await connect(api.ws_url)
    await send(ws, {"id": "c", "type": "subscribe", "payload": {"query": COSTLY}})
    message = await receive(ws)

    assert message["type"] == "error", message
    error = message["payload"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert str(Settings.model_fields["query_max_cost"].default) in error["message"]
    assert api.stats()["shared_operations"] == 0
    await ws.close()
