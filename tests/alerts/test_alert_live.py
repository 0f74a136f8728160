"""alertTriggered end to end: a real API process, WebSocket clients signed in through
`connection_init`, firings stored by the worker's own ingest pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from server.graphql.node import to_global_id
from tests.alerts.conftest import Price, ingest
from tests.collectors.conftest import PASSWORD, SIGN_UP, TOKEN_SECRET, new_email
from tests.graphql.market_data import add_figures
from tests.live.servers import ApiProcess, api_process
from tests.live.wsclient import connect, receive, send
from workers.context import Services

ALERT_TRIGGERED = """subscription($since: String) { alertTriggered(since: $since) {
  eventId alertEvent { alertId price minifigure { figNum } }
} }"""

CREATE = """mutation($input: CreateAlertInput!) {
  createAlert(input: $input) { ... on CreateAlertSuccess { alert { id } } }
}"""


@pytest.fixture(scope="module")
def api(database_url: str, redis_url: str, namespace: str) -> Iterator[ApiProcess]:
    with api_process(database_url, redis_url, namespace, token_secret=TOKEN_SECRET) as process:
        yield process


async def _post(api: ApiProcess, query: str, token: str | None = None, **variables: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"http://127.0.0.1:{api.port}/graphql",
            json={"query": query, "variables": variables},
            headers=headers,
        )
    return response.json()["data"]


async def _account(api: ApiProcess) -> str:
    session = (await _post(api, SIGN_UP, email=new_email(), password=PASSWORD))["signUp"]
    token: str = session["accessToken"]
    return token


async def _alert(api: ApiProcess, token: str, minifigure_id: str) -> str:
    created = await _post(
        api,
        CREATE,
        token,
        input={"minifigureId": minifigure_id, "direction": "BELOW", "price": "30"},
    )
    alert_id: str = created["createAlert"]["alert"]["id"]
    return alert_id


def _subscribe(op_id: str, since: str | None = None) -> dict[str, Any]:
    payload = {"query": ALERT_TRIGGERED, "variables": {"since": since}}
    return {"id": op_id, "type": "subscribe", "payload": payload}


async def test_each_owner_receives_only_their_firings_and_can_resume(
    api: ApiProcess, services: Services, committed: AsyncSession
) -> None:
    ids = await add_figures(committed, {"fig_num": "live01"}, {"fig_num": "live02"})
    await committed.commit()
    alice, bob = await _account(api), await _account(api)
    alice_alert = await _alert(api, alice, to_global_id("Minifigure", ids["live01"]))
    bob_alert = await _alert(api, bob, to_global_id("Minifigure", ids["live02"]))
    now = datetime.now(UTC) - timedelta(minutes=1)
    # A price that fires nothing (above Bob's 30): the log's position before the firings.
    await ingest(services, [Price("live02", "35.00", now - timedelta(minutes=1))])
    start = await services.bus.latest_id()

    alice_ws = await connect(api.ws_url, {"authorization": f"Bearer {alice}"})
    bob_ws = await connect(api.ws_url, {"authorization": f"Bearer {bob}"})
    # The same document on both sockets: they must not share one operation.
    await send(alice_ws, _subscribe("a"))
    await send(bob_ws, _subscribe("b"))
    await api.wait_for(lambda stats: stats["subscribers"] >= 2, "subscribing")

    await ingest(services, [Price("live01", "25.00", now)])
    await ingest(services, [Price("live02", "20.00", now)])

    to_alice = (await receive(alice_ws))["payload"]["data"]["alertTriggered"]
    assert to_alice["alertEvent"] == {
        "alertId": alice_alert,
        "price": 25.0,
        "minifigure": {"figNum": "live01"},
    }
    # Bob's first message is his own firing, stored after Alice's: hers never reached him.
    to_bob = (await receive(bob_ws))["payload"]["data"]["alertTriggered"]
    assert to_bob["alertEvent"]["alertId"] == bob_alert
    await alice_ws.close()
    await bob_ws.close()

    # Reconnecting with `since` replays what came after it, Alice's only.
    again = await connect(api.ws_url, {"authorization": f"Bearer {alice}"})
    await send(again, _subscribe("r", since=start))
    replayed = (await receive(again))["payload"]["data"]["alertTriggered"]
    assert replayed == to_alice
    await again.close()


async def test_anonymous_sockets_get_no_firings(api: ApiProcess) -> None:
    anonymous = await connect(api.ws_url)
    await send(anonymous, _subscribe("1"))
    message = await receive(anonymous)
    # Refused before the operation starts: a graphql-transport-ws `error` message.
    assert message["type"] == "error"
    assert [e["extensions"]["code"] for e in message["payload"]] == ["UNAUTHENTICATED"]
    await anonymous.close()
