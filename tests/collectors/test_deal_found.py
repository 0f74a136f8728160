"""dealFound end to end: a real API process, WebSocket clients, and asks stored by the
worker's own ingest pipeline against sales seeded before."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from websockets.asyncio.client import ClientConnection

from server.graphql.node import to_global_id
from server.models import Condition
from tests.collectors.conftest import PASSWORD, SIGN_UP, TOKEN_SECRET, new_email
from tests.conftest import settings_for
from tests.graphql.market_data import add_figures, add_listings, noon_ago
from tests.live.servers import ApiProcess, api_process
from tests.live.wsclient import connect, receive, send
from tests.redis_keys import drop_keys
from workers.context import Services, services_of
from workers.pipeline.observation import Observation
from workers.pipeline.run import run_ingest
from workers.runner import job_context
from workers.sources import demo

DEAL_FOUND = """subscription($min: Float!, $condition: Condition, $mine: Boolean!,
                             $since: String) {
  dealFound(minDiscountPct: $min, condition: $condition, watchlistOnly: $mine, since: $since) {
    eventId
    deal {
      minifigure { figNum } condition ask soldMedian discountPct
      listing { externalId excludedReason }
    }
  }
}"""

ADD = """mutation($id: ID!, $condition: Condition!) {
  addToWatchlist(input: {minifigureId: $id, condition: $condition}) { __typename }
}"""

_numbers = itertools.count()


@pytest.fixture(scope="module")
def namespace() -> str:
    return f"test:{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def api(database_url: str, redis_url: str, namespace: str) -> Iterator[ApiProcess]:
    with api_process(database_url, redis_url, namespace, token_secret=TOKEN_SECRET) as process:
        yield process


@pytest.fixture(scope="module")
async def services(
    database_url: str, redis_url: str, namespace: str, engine: AsyncEngine
) -> AsyncIterator[Services]:
    settings = settings_for(
        database_url, redis_url, redis_namespace=namespace, worker_queue_name=f"{namespace}:q"
    )
    async with job_context(settings) as ctx:
        yield services_of(ctx)
    await drop_keys(redis_url, f"{namespace}*")
    async with engine.begin() as connection:
        await connection.execute(text("DELETE FROM sync_runs"))


@pytest.fixture
async def figures(committed: AsyncSession) -> dict[str, uuid.UUID]:
    """df0001 and df0002 sold for 10.00 used (and df0001 for 30.00 new)."""
    ids = await add_figures(committed, {"fig_num": "df0001"}, {"fig_num": "df0002"})
    for minifigure_id in ids.values():
        await add_listings(committed, minifigure_id, [(noon_ago(2), "10.00")])
    await add_listings(committed, ids["df0001"], [(noon_ago(3), "30.00")], condition=Condition.NEW)
    await committed.commit()
    return ids


def _ask(fig_num: str, price: str, condition: str = "USED", title: str = "") -> Observation:
    return Observation(
        source=demo.SOURCE,
        external_id=f"deal-{fig_num}-{next(_numbers)}-{uuid.uuid4().hex[:6]}",
        fig_num=fig_num,
        observed_at=datetime.now(UTC),
        kind="ASK",
        condition=condition,
        price=Decimal(price),
        currency="USD",
        title=title or f"LEGO minifigure {fig_num}",
    )


async def _ingest(services: Services, *observations: Observation) -> None:
    async def fetch() -> list[Observation]:
        return list(observations)

    summary = await run_ingest(services, source=demo.SOURCE, kind="tick", fetch=fetch)
    assert summary.saved == len(observations)


async def _subscribe(ws: ClientConnection, op_id: str = "1", **variables: Any) -> None:
    variables = {"min": 20, "mine": False} | variables
    payload = {"query": DEAL_FOUND, "variables": variables}
    await send(ws, {"id": op_id, "type": "subscribe", "payload": payload})


def _deal(message: dict[str, Any]) -> tuple[str, str, float, float, float]:
    deal = message["payload"]["data"]["dealFound"]["deal"]
    return (
        deal["minifigure"]["figNum"],
        deal["condition"],
        deal["ask"],
        deal["soldMedian"],
        deal["discountPct"],
    )


async def _refusal(ws: ClientConnection) -> list[str]:
    """The codes of a subscription refused before it started (an `error` message)."""
    message = await receive(ws)
    assert message["type"] == "error", message
    return [error["extensions"]["code"] for error in message["payload"]]


async def _post(api: ApiProcess, query: str, token: str | None = None, **variables: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"http://127.0.0.1:{api.port}/graphql",
            json={"query": query, "variables": variables},
            headers=headers,
        )
    return response.json()["data"]


async def test_an_ingested_ask_that_qualifies_is_pushed_and_since_resumes_without_gaps(
    api: ApiProcess, services: Services, figures: dict[str, uuid.UUID]
) -> None:
    ws = await connect(api.ws_url)
    await _subscribe(ws, condition="USED")
    await api.wait_for(lambda stats: stats["subscribers"] >= 1, "subscribing")

    # 10 % under (no deal at 20), a NEW deal (other condition), then 30 % under.
    await _ingest(
        services, _ask("df0001", "9.00"), _ask("df0001", "15.00", "NEW"), _ask("df0002", "7.00")
    )
    first = await receive(ws)
    assert _deal(first) == ("df0002", "USED", 7.0, 10.0, 30.0)
    # Exactly 20 % under qualifies; the 8.01 before it does not, so it comes next.
    await _ingest(services, _ask("df0001", "8.01"), _ask("df0001", "8.00"))
    assert _deal(await receive(ws))[2] == 8.0
    last_seen = first["payload"]["data"]["dealFound"]["eventId"]
    await ws.close()

    # Missed while away: one deal among non-deals.
    await _ingest(services, _ask("df0002", "9.99"), _ask("df0002", "2.00"))
    resumed = await connect(api.ws_url)
    await _subscribe(resumed, condition="USED", since=last_seen)
    assert [_deal(await receive(resumed))[2] for _ in range(2)] == [8.0, 2.0]
    await api.wait_for(lambda stats: stats["subscribers"] >= 1, "resubscribing")
    # A lot (excluded by its title) is no deal however cheap; a price far under the other
    # asks is left out of statistics as an outlier, and is a deal all the same.
    lot = _ask("df0001", "1.50", title="LEGO job lot of 10 minifigures incl. df0001")
    await _ingest(services, lot, _ask("df0001", "9.50"), _ask("df0001", "1.00"))
    bargain = await receive(resumed)
    assert _deal(bargain)[2] == 1.0
    listing = bargain["payload"]["data"]["dealFound"]["deal"]["listing"]
    assert listing["excludedReason"] == "outlier"
    await resumed.close()


async def test_watchlist_only_needs_an_account_and_sends_only_its_items(
    api: ApiProcess, services: Services, figures: dict[str, uuid.UUID]
) -> None:
    anonymous = await connect(api.ws_url)
    await _subscribe(anonymous, mine=True)
    assert await _refusal(anonymous) == ["UNAUTHENTICATED"]
    await _subscribe(anonymous, op_id="2", min=150)
    assert await _refusal(anonymous) == ["INVALID_DISCOUNT"]
    await anonymous.close()

    sockets = {}
    for fig_num in ("df0001", "df0002"):
        token = (await _post(api, SIGN_UP, email=new_email(), password=PASSWORD))["signUp"][
            "accessToken"
        ]
        global_id = to_global_id("Minifigure", figures[fig_num])
        await _post(api, ADD, token, id=global_id, condition="USED")
        ws = await connect(api.ws_url, {"authorization": f"Bearer {token}"})
        # The same document and variables: each account still gets only its own items.
        await _subscribe(ws, mine=True)
        sockets[fig_num] = ws
    await api.wait_for(lambda stats: stats["subscribers"] >= 2, "subscribing")

    # df0001 NEW is 50 % under its NEW median, but only USED is watched.
    await _ingest(
        services, _ask("df0001", "15.00", "NEW"), _ask("df0002", "5.00"), _ask("df0001", "6.00")
    )
    assert _deal(await receive(sockets["df0001"])) == ("df0001", "USED", 6.0, 10.0, 40.0)
    assert _deal(await receive(sockets["df0002"])) == ("df0002", "USED", 5.0, 10.0, 50.0)
    # Nothing else was queued for either: the next deal of each is the next one stored.
    await _ingest(services, _ask("df0002", "4.00"), _ask("df0001", "3.00"))
    assert _deal(await receive(sockets["df0001"]))[2] == 3.0
    assert _deal(await receive(sockets["df0002"]))[2] == 4.0
    for ws in sockets.values():
        await ws.close()
