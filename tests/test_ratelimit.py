"""Rate limiting: a cost-based token bucket per client in Redis, over HTTP and WebSocket."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx
import pytest

from server.app import create_app
from tests.conftest import settings_for
from tests.live.servers import api_process
from tests.live.wsclient import open_socket, receive, send
from tests.redis_keys import drop_keys

ADMIN_KEY = "k" * 40
# Costs 1 + 3 * (1 + 1) + 1 = 8.
QUERY = {"query": "{ minifigures(first: 3) { nodes { name } } version }"}

AppFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
async def app_client(database_url: str, redis_url: str) -> AsyncIterator[AppFactory]:
    """Apps sharing one fresh namespace in the real Redis, as API processes share one."""
    namespace = f"test-rl-{uuid.uuid4().hex[:8]}"

    @asynccontextmanager
    async def client(**overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
        settings = settings_for(
            database_url,
            redis_url,
            redis_namespace=namespace,
            admin_api_key=ADMIN_KEY,
            **{"rate_limit_anonymous_burst": 20, "rate_limit_anonymous_per_s": 0.01, **overrides},
        )
        app = create_app(settings)
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://t") as http,
        ):
            yield http

    yield client
    await drop_keys(redis_url, f"{namespace}:*")


async def test_an_empty_bucket_answers_429_with_retry_after_and_ratelimit_headers(
    app_client: AppFactory,
) -> None:
    async with app_client() as client:
        first = await client.post("/graphql", json=QUERY)
        second = await client.post("/graphql", json=QUERY)
        third = await client.post("/graphql", json=QUERY)

    assert first.status_code == 200
    assert first.headers["ratelimit-limit"] == "20"
    assert first.headers["ratelimit-remaining"] == "12"
    assert second.headers["ratelimit-remaining"] == "4"
    assert third.status_code == 429
    retry_after = int(third.headers["retry-after"])
    assert retry_after >= 1
    assert third.headers["ratelimit-remaining"] == "4"
    [error] = third.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["extensions"]["retryAfter"] == retry_after
    assert "data" not in third.json()


async def test_processes_share_the_bucket_and_a_verified_key_has_its_own(
    app_client: AppFactory,
) -> None:
    async with app_client() as one, app_client() as other:
        await one.post("/graphql", json=QUERY)
        await other.post("/graphql", json=QUERY)
        refused = await one.post("/graphql", json=QUERY)
        made_up_key = await other.post(
            "/graphql", json=QUERY, headers={"authorization": "Bearer made-up"}
        )
        with_key = await other.post(
            "/graphql", json=QUERY, headers={"authorization": f"Bearer {ADMIN_KEY}"}
        )

    assert refused.status_code == 429
    assert made_up_key.status_code == 429
    assert with_key.status_code == 200
    assert with_key.headers["ratelimit-limit"] == "200000"


async def test_rate_limiting_can_be_switched_off(app_client: AppFactory) -> None:
    async with app_client(rate_limit_enabled=False) as client:
        responses = [await client.post("/graphql", json=QUERY) for _ in range(4)]

    assert [r.status_code for r in responses] == [200] * 4
    assert "ratelimit-limit" not in responses[0].headers


async def test_websocket_connections_and_subscriptions_draw_from_the_same_bucket(
    database_url: str, redis_url: str
) -> None:
    namespace = f"test-rl-{uuid.uuid4().hex[:8]}"
    subscribe = {"query": "subscription { priceTicks { eventId } }"}
    with api_process(
        database_url,
        redis_url,
        namespace,
        rate_limit_anonymous_burst="4",
        rate_limit_anonymous_per_s="0.01",
    ) as api:
        ws = await open_socket(api.ws_url)
        try:
            # The connection costs 1, each subscription its cost (here 2): 1 + 2, then refused.
            await send(ws, {"type": "connection_init"})
            assert (await receive(ws))["type"] == "connection_ack"
            await send(ws, {"id": "1", "type": "subscribe", "payload": subscribe})
            await send(ws, {"id": "2", "type": "subscribe", "payload": subscribe})
            message = await receive(ws)
        finally:
            await ws.close()
        async with httpx.AsyncClient() as http:
            over_http = await http.post(
                f"http://127.0.0.1:{api.port}/graphql", json={"query": "{ version __typename }"}
            )
    await drop_keys(redis_url, f"{namespace}:*")

    assert message["type"] == "error"
    assert message["id"] == "2"
    assert message["payload"][0]["extensions"]["code"] == "RATE_LIMITED"
    # The same client over HTTP finds the 1 token the WebSocket left: too few for 2.
    assert over_http.status_code == 429
