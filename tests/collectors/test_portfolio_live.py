"""portfolioValue end to end: a real API process, a WebSocket client signed in through
`connection_init`, and a sale stored by the worker's own ingest pipeline."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from server.graphql.node import to_global_id
from tests.collectors.conftest import PASSWORD, SIGN_UP, TOKEN_SECRET, new_email
from tests.conftest import settings_for
from tests.graphql.market_data import add_figures, add_listings, noon_ago
from tests.live.servers import ApiProcess, api_process
from tests.live.wsclient import close_code, connect, open_socket, receive, send
from tests.redis_keys import drop_keys
from workers.context import Services, services_of
from workers.pipeline.observation import Observation
from workers.pipeline.run import run_ingest
from workers.runner import job_context
from workers.sources import demo

PORTFOLIO_VALUE = """subscription { portfolioValue(currency: "USD") {
  eventId portfolio { value cost holdings { unitPrice } }
} }"""

ADD_HOLDING = """mutation($input: AddHoldingInput!) {
  addHolding(input: $input) { __typename }
}"""


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
    # The ingest recorded its run; other tests count the runs they make.
    async with engine.begin() as connection:
        await connection.execute(text("DELETE FROM sync_runs"))


async def _post(api: ApiProcess, query: str, token: str | None = None, **variables: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"http://127.0.0.1:{api.port}/graphql",
            json={"query": query, "variables": variables},
            headers=headers,
        )
    return response.json()["data"]


def _sale(fig_num: str, price: str, at: datetime) -> Observation:
    return Observation(
        source=demo.SOURCE,
        external_id=f"live-{fig_num}-{at:%Y%m%dT%H%M%S%f}",
        fig_num=fig_num,
        observed_at=at,
        kind="SOLD",
        condition="USED",
        price=Decimal(price),
        currency="USD",
        title=f"LEGO minifigure {fig_num}",
    )


async def test_the_live_value_follows_a_sale_the_worker_stores(
    api: ApiProcess, services: Services, committed: AsyncSession
) -> None:
    ids = await add_figures(committed, {"fig_num": "lv0001"}, {"fig_num": "lv0002"})
    await add_listings(committed, ids["lv0001"], [(noon_ago(1), "10.00"), (noon_ago(2), "10.20")])
    await add_listings(committed, ids["lv0002"], [(noon_ago(1), "50.00")])
    await committed.commit()
    session = (await _post(api, SIGN_UP, email=new_email(), password=PASSWORD))["signUp"]
    token = session["accessToken"]
    holding = {
        "minifigureId": to_global_id("Minifigure", ids["lv0001"]),
        "condition": "USED",
        "quantity": 3,
        "unitCost": "8.00",
        "currency": "USD",
        "acquiredOn": "2025-06-01",
    }
    assert (await _post(api, ADD_HOLDING, token, input=holding))["addHolding"] == {
        "__typename": "HoldingSuccess"
    }

    ws = await connect(api.ws_url, {"authorization": f"Bearer {token}"})
    await send(ws, {"id": "1", "type": "subscribe", "payload": {"query": PORTFOLIO_VALUE}})
    first = (await receive(ws))["payload"]["data"]["portfolioValue"]
    assert first == {
        "eventId": None,
        "portfolio": {"value": 30.0, "cost": 24.0, "holdings": [{"unitPrice": 10.0}]},
    }
    await api.wait_for(lambda stats: stats["subscribers"] >= 1, "subscribing")

    async def fetch_unheld_then_held() -> list[Observation]:
        now = datetime.now(UTC)
        return [_sale("lv0002", "51.00", now), _sale("lv0001", "10.40", now)]

    summary = await run_ingest(
        services, source=demo.SOURCE, kind="tick", fetch=fetch_unheld_then_held
    )
    assert summary.saved == 2

    update = await receive(ws)
    value = update["payload"]["data"]["portfolioValue"]
    assert value["eventId"] is not None
    assert value["portfolio"] == {
        "value": 31.2,
        "cost": 24.0,
        "holdings": [{"unitPrice": 10.4}],
    }
    await ws.close()


async def test_connection_init_refuses_a_bad_bearer_and_anonymous_gets_no_portfolio(
    api: ApiProcess,
) -> None:
    refused = await open_socket(api.ws_url)
    await send(refused, {"type": "connection_init", "payload": {"authorization": "Bearer nope"}})
    assert await close_code(refused) == 4403

    anonymous = await connect(api.ws_url)
    await send(anonymous, {"id": "1", "type": "subscribe", "payload": {"query": PORTFOLIO_VALUE}})
    message = await receive(anonymous)
    assert message["payload"]["data"] is None
    assert [e["extensions"]["code"] for e in message["payload"]["errors"]] == ["UNAUTHENTICATED"]
    await anonymous.close()
