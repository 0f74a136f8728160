"""graphql-transport-ws rules, auth, Origin, limits and the other subscriptions, end to end."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import websockets
from websockets.asyncio.client import ClientConnection

from server.events import EventBus, SnapshotUpdated, SyncRunUpdated
from server.graphql.node import to_global_id
from tests.live.conftest import ADMIN_KEY, Figure, tick
from tests.live.servers import ApiProcess
from tests.live.wsclient import PRICE_TICKS, close_code, connect, open_socket, receive, send

SUBSCRIBE: dict[str, Any] = {"type": "subscribe", "payload": {"query": PRICE_TICKS}}
SYNC_RUN = """subscription Run($id: ID!) {
  syncRun(id: $id) { eventId syncRunId status seen saved rejected error }
}"""
SNAPSHOTS = """subscription Snaps($ids: [ID!]) {
  snapshotUpdated(minifigureIds: $ids) { eventId day condition minifigure { figNum } }
}"""


def subscribe(op_id: str, query: str = PRICE_TICKS, **variables: Any) -> dict[str, Any]:
    return {"id": op_id, "type": "subscribe", "payload": {"query": query, "variables": variables}}


async def test_no_connection_init_closes_with_4408(api: ApiProcess) -> None:
    ws = await open_socket(api.ws_url)  # the process allows 1s for connection_init
    assert await close_code(ws) == 4408


async def test_subscribe_before_ack_closes_with_4401(api: ApiProcess) -> None:
    ws = await open_socket(api.ws_url)
    await send(ws, subscribe("1"))
    assert await close_code(ws) == 4401


async def test_a_duplicate_operation_id_closes_with_4409(api: ApiProcess) -> None:
    ws = await connect(api.ws_url)
    await send(ws, subscribe("1"))
    await send(ws, subscribe("1"))
    assert await close_code(ws) == 4409


async def test_a_second_connection_init_closes_with_4429(api: ApiProcess) -> None:
    ws = await connect(api.ws_url)
    await send(ws, {"type": "connection_init", "payload": {}})
    assert await close_code(ws) == 4429


async def test_a_wrong_api_key_is_refused_with_4403(api: ApiProcess) -> None:
    ws = await open_socket(api.ws_url)
    await send(ws, {"type": "connection_init", "payload": {"apiKey": "not-the-key"}})
    assert await close_code(ws) == 4403


async def test_pings_are_answered(api: ApiProcess) -> None:
    ws = await connect(api.ws_url)
    await send(ws, {"type": "ping"})
    assert (await receive(ws))["type"] == "pong"
    await ws.close()


async def test_the_legacy_graphql_ws_protocol_is_refused(api: ApiProcess) -> None:
    ws = await websockets.connect(api.ws_url, subprotocols=["graphql-ws"])  # type: ignore[list-item]
    assert await close_code(ws) == 4406


async def test_a_page_from_an_origin_not_allowed_cannot_connect(api: ApiProcess) -> None:
    with pytest.raises(websockets.InvalidStatus) as refused:
        await open_socket(api.ws_url, origin="https://evil.example")
    assert refused.value.response.status_code == 403
    allowed = await connect(api.ws_url, origin="http://localhost:8000")
    await allowed.close()


async def test_subscriptions_per_connection_are_limited(api: ApiProcess) -> None:
    ws = await connect(api.ws_url)  # the process allows 3
    for op_id in ("1", "2", "3"):
        await send(ws, subscribe(op_id))
    await send(ws, subscribe("4"))
    refused = await receive(ws)
    assert refused["type"] == "error"
    assert refused["id"] == "4"
    assert "limit" in refused["payload"][0]["message"]
    await ws.close()


async def _first_payload(ws: ClientConnection) -> dict[str, Any]:
    message = await receive(ws)
    assert message["type"] in ("next", "error"), message
    payload: dict[str, Any] = message["payload"]
    return payload


async def test_sync_run_progress_needs_the_api_key_and_completes_when_the_run_ends(
    api: ApiProcess, bus: EventBus
) -> None:
    run_id = to_global_id("SyncRun", 7)
    anonymous = await connect(api.ws_url)
    await send(anonymous, subscribe("1", SYNC_RUN, id=run_id))
    refused = await receive(anonymous)
    assert refused["type"] == "error"  # at subscribe time: the operation never starts
    assert refused["payload"][0]["extensions"]["code"] == "AUTH_REQUIRED"
    await anonymous.close()

    admin = await connect(api.ws_url, {"apiKey": ADMIN_KEY})
    await send(admin, subscribe("1", SYNC_RUN, id=run_id))
    await api.wait_for(lambda s: s["subscribers"] >= 1, "subscribing")

    def progress(run: int, status: str, seen: int) -> SyncRunUpdated:
        return SyncRunUpdated(
            sync_run_id=run, source="ebay", status=status, seen=seen, saved=seen, rejected=0,
            error=None,
        )  # fmt: skip

    await bus.publish(
        [progress(7, "running", 10), progress(8, "running", 99), progress(7, "succeeded", 20)]
    )
    received = [(await _first_payload(admin))["data"]["syncRun"] for _ in range(2)]
    assert [(r["status"], r["seen"]) for r in received] == [("RUNNING", 10), ("SUCCEEDED", 20)]
    assert received[0]["syncRunId"] == run_id
    assert await receive(admin) == {"id": "1", "type": "complete"}
    await admin.close()


async def test_snapshot_updates_are_filtered_by_minifigure(
    api: ApiProcess, bus: EventBus, figures: dict[str, Figure]
) -> None:
    luke, batman = figures["sw0001a"], figures["sh0001"]
    ws = await connect(api.ws_url)
    await send(ws, subscribe("s", SNAPSHOTS, ids=[to_global_id("Minifigure", batman.id)]))
    await api.wait_for(lambda s: s["subscribers"] >= 1, "subscribing")

    day = date(2026, 11, 1)
    ids = await bus.publish(
        [
            SnapshotUpdated(minifigure_id=luke.id, day=day, condition="NEW"),
            tick(batman, 1),
            SnapshotUpdated(minifigure_id=batman.id, day=day, condition="USED"),
        ]
    )
    update = (await _first_payload(ws))["data"]["snapshotUpdated"]
    assert update == {
        "eventId": ids[2],
        "day": "2026-11-01",
        "condition": "USED",
        "minifigure": {"figNum": "sh0001"},
    }
    await ws.close()


async def test_a_live_subscription_holds_its_id_and_place_until_the_client_completes_it(
    api: ApiProcess, bus: EventBus, figures: dict[str, Figure]
) -> None:
    # Live subscriptions are served without a task of their own (parked on the connection):
    # the protocol's bookkeeping must still see them.
    luke = figures["sw0001a"]
    before = api.stats()["subscribers"]
    ws = await connect(api.ws_url)  # the process allows 3 per connection
    for op_id in ("a", "b", "c"):
        await send(ws, subscribe(op_id))
    await api.wait_for(lambda s: s["subscribers"] == before + 3, "subscribing")
    await send(ws, subscribe("d"))
    refused = await receive(ws)
    assert (refused["type"], refused["id"]) == ("error", "d")  # still counted: limit reached

    for op_id in ("b", "c"):
        await send(ws, {"id": op_id, "type": "complete"})
    await api.wait_for(lambda s: s["subscribers"] == before + 1, "completing")
    await send(ws, subscribe("b"))  # a completed id is free again
    await api.wait_for(lambda s: s["subscribers"] == before + 2, "resubscribing")
    ids = await bus.publish([tick(luke, 1), tick(luke, 2)])
    got = [await receive(ws) for _ in range(4)]
    # Each live subscription once per event, the completed ones never.
    assert sorted((m["id"], m["payload"]["data"]["priceTicks"]["eventId"]) for m in got) == [
        ("a", ids[0]), ("a", ids[1]), ("b", ids[0]), ("b", ids[1])
    ]  # fmt: skip

    await send(ws, subscribe("a"))  # a live id is still taken
    assert await close_code(ws) == 4409
    await api.wait_for(lambda s: s["subscribers"] == before, "leaving with the connection")
