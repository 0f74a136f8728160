"""priceTicks end to end: a real API process, a real WebSocket client, events through Redis."""

from __future__ import annotations

from typing import Any

from server.events import EventBus
from server.graphql.node import to_global_id
from tests.live.conftest import Figure, tick
from tests.live.servers import ApiProcess
from tests.live.wsclient import PRICE_TICKS, Follower, connect, receive, send, subscribe_message


async def test_published_ticks_reach_filtered_and_unfiltered_subscribers(
    api: ApiProcess, bus: EventBus, figures: dict[str, Figure]
) -> None:
    luke, vader, batman = figures["sw0001a"], figures["sw0002"], figures["sh0001"]
    filters: dict[str, dict[str, Any]] = {
        "all": {},
        "luke by id": {"minifigureIds": [to_global_id("Minifigure", luke.id)]},
        "vader by fig num": {"figNums": ["SW0002"]},
        "super heroes": {"themes": ["super heroes"]},
        "new": {"condition": "NEW"},
        "asks": {"kind": "ASK"},
        "cheap": {"maxPriceUsd": "10"},
        "cheap new star wars": {"themes": ["Star Wars"], "condition": "NEW", "maxPriceUsd": "10"},
    }
    followers = {name: Follower(api.ws_url, {"filter": f}) for name, f in filters.items()}
    for follower in followers.values():
        await follower.start()
    baseline = await api.wait_for(lambda s: s["subscribers"] == len(filters), "subscribing")

    ids = await bus.publish(
        [
            tick(luke, 1, price="12.50"),
            tick(vader, 2, kind="ASK", price="30"),
            tick(batman, 3, condition="NEW", price="8"),
            tick(luke, 4, condition="NEW", price="9.99"),
        ]
    )
    ids += await bus.publish([tick(vader, 5, price="10.00"), tick(batman, 6, kind="ASK")])

    expected_listings = {
        "all": [1, 2, 3, 4, 5, 6],
        "luke by id": [1, 4],
        "vader by fig num": [2, 5],
        "super heroes": [3, 6],
        "new": [3, 4],
        "asks": [2, 6],
        "cheap": [3, 4, 5],
        "cheap new star wars": [4],
    }
    for name, listings in expected_listings.items():
        await followers[name].wait_for(ids[listings[-1] - 1])
        received = [t["listingId"] for t in followers[name].ticks]
        assert received == [to_global_id("Listing", n) for n in listings], name
        assert followers[name].ids == [ids[n - 1] for n in listings], name

    first = followers["all"].ticks[0]
    assert first["minifigure"] == {
        "id": to_global_id("Minifigure", luke.id),
        "figNum": "sw0001a",
        "name": "Luke Skywalker (Tatooine)",
        "theme": "Star Wars",
    }
    assert first["priceUsd"] == "12.50"
    assert (first["kind"], first["condition"]) == ("SOLD", "USED")
    # Nested minifigures come from the hub's cache: one query per batch, not per event
    # and subscriber (6 events x 8 subscribers would be 48).
    stats = api.stats()
    assert stats["minifigure_queries"] - baseline["minifigure_queries"] <= 2
    for follower in followers.values():
        await follower.stop()


async def test_resuming_with_since_replays_the_missed_ticks_in_order_then_goes_live(
    api: ApiProcess, bus: EventBus, figures: dict[str, Figure]
) -> None:
    luke = figures["sw0001a"]
    follower = Follower(api.ws_url)
    await follower.start()
    await api.wait_for(lambda s: s["subscribers"] >= 1, "subscribing")
    seen = await bus.publish([tick(luke, n) for n in range(1, 4)])
    await follower.wait_for(seen[-1])
    await follower.stop()

    missed = await bus.publish([tick(luke, n) for n in range(4, 9)])
    await follower.start(since=seen[-1])
    await follower.wait_for(missed[-1])
    live = await bus.publish([tick(luke, 9)])
    await follower.wait_for(live[-1])

    assert follower.ids == seen + missed + live
    await follower.stop()


async def test_a_since_older_than_the_log_is_refused_with_a_code(
    api: ApiProcess, bus: EventBus, figures: dict[str, Figure]
) -> None:
    old = await bus.publish([tick(figures["sw0001a"], n) for n in range(1, 6)])
    await api.wait_for(lambda s: s["last_id"] == old[-1], "the hub reading the events")
    await bus.redis.xtrim(bus.log_key, maxlen=2, approximate=False)

    for since, code in [(old[0], "EVENT_ID_EXPIRED"), ("yesterday", "INVALID_EVENT_ID")]:
        ws = await connect(api.ws_url)
        await send(
            ws,
            {
                "id": "a",
                "type": "subscribe",
                "payload": {"query": PRICE_TICKS, "variables": {"since": since}},
            },
        )
        message = await receive(ws)
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert errors[0].get("extensions", {}).get("code") == code, message
        await ws.close()

    # From the oldest id still kept, resuming works.
    follower = Follower(api.ws_url)
    await follower.start(since=old[3])
    await follower.wait_for(old[-1])
    assert follower.ids == old[4:]
    await follower.stop()


async def test_a_since_ahead_of_the_log_or_out_of_range_is_refused_with_a_code(
    api: ApiProcess, bus: EventBus, figures: dict[str, Figure]
) -> None:
    newest = (await bus.publish([tick(figures["sw0001a"], 1)]))[-1]
    milliseconds = newest.partition("-")[0]
    refusals = [
        ("99999999999999-0", "EVENT_ID_AHEAD_OF_LOG"),
        (f"{milliseconds}-99999", "EVENT_ID_AHEAD_OF_LOG"),
        (f"{milliseconds}-99999999999999999999", "INVALID_EVENT_ID"),  # over 64 bits
        ("99999999999999999999-0", "INVALID_EVENT_ID"),
    ]
    for since, code in refusals:
        ws = await connect(api.ws_url)
        await send(ws, subscribe_message("a", since=since))
        message = await receive(ws)
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == code, (since, message)
        await ws.close()
