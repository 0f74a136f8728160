"""A frozen dependency is reported down within HEALTH_TIMEOUT_S, not waited for."""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from server.app import create_app
from tests.conftest import settings_for
from tests.faults.processes import OwnRedis

# HEALTH_TIMEOUT_S is 1 s; the rest is slack for a loaded machine.
REPORTED_WITHIN_S = 2.0


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A TCP port that accepts connections and never says a word: a frozen PostgreSQL."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"postgresql://postgres:postgres@127.0.0.1:{listener.getsockname()[1]}/stonks"


async def _client(database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings_for(database_url, redis_url))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        yield client


async def _timed_health(client: httpx.AsyncClient) -> tuple[float, httpx.Response]:
    start = time.monotonic()
    response = await client.get("/healthz")
    return time.monotonic() - start, response


async def test_frozen_redis_is_reported_down_quickly_then_up_again(
    database_url: str, own_redis: OwnRedis
) -> None:
    async for client in _client(database_url, own_redis.url):
        assert (await client.get("/healthz")).status_code == 200
        own_redis.freeze()
        try:
            elapsed, response = await _timed_health(client)
            graphql = await client.post("/graphql", json={"query": "{ health { redis database } }"})
        finally:
            own_redis.thaw()
        assert elapsed < REPORTED_WITHIN_S
        assert response.status_code == 503
        assert response.json() == {"database": True, "redis": False}
        assert graphql.json()["data"]["health"] == {"redis": False, "database": True}
        elapsed, response = await _timed_health(client)
        assert response.status_code == 200, response.text


async def test_frozen_database_is_reported_down_quickly(
    silent_server: str, own_redis: OwnRedis
) -> None:
    async for client in _client(silent_server, own_redis.url):
        elapsed, response = await _timed_health(client)
        assert elapsed < REPORTED_WITHIN_S
        assert response.status_code == 503
        assert response.json() == {"database": False, "redis": True}
