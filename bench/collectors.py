"""What accounts cost per request, and how watchlists and portfolios scale, as ratios.

Run: `uv run python bench/collectors.py [POSTGRES_ADMIN_URL] [REDIS_URL]` (defaults: the
local servers). Creates a scratch database, then times whole GraphQL requests through the
ASGI app (no network), each the median of many rounds:

  credentials   `{ viewer { email } }` with an access token, with an API key
                -- against the same request anonymous (`{ viewer { __typename } }`)
  scaling       viewer.watchlist and viewer.portfolio with 10 and with 200 items
                -- against the 10-item request

Absolute times drift between machines; the ratios are what to compare.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from typing import Any

import httpx
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from server import migrations
from server.app import create_app
from server.db import async_url
from server.graphql.node import to_global_id
from server.settings import Settings
from server.store.catalog import CatalogEntry, upsert_minifigures
from tests.databases import create_database, drop_database

ROUNDS = 40
SIGN_UP = """mutation($email: String!) {
  signUp(input: {email: $email, password: "bench-password-1"})
  { ... on AuthSession { accessToken } } }"""
KEY = """mutation { createApiKey(input: {name: "bench", scopes: [READ, WRITE]})
  { ... on CreateApiKeySuccess { secret } } }"""
WATCH = """mutation($id: ID!) { addToWatchlist(input: {minifigureId: $id}) { __typename } }"""
HOLD = """mutation($id: ID!) { addHolding(input: {minifigureId: $id, condition: USED,
  quantity: 1, unitCost: "5", currency: "USD", acquiredOn: "2025-01-01"}) { __typename } }"""
WATCHLIST = "{ viewer { watchlist { minifigure { figNum } lastSalePrice change7dPct } } }"
PORTFOLIO = "{ viewer { portfolio { value cost holdings { value } } } }"


async def _post(
    client: httpx.AsyncClient, query: str, token: str | None = None, **variables: Any
) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def _median(client: httpx.AsyncClient, query: str, token: str | None = None) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        await _post(client, query, token)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def _user(client: httpx.AsyncClient, email: str, figures: list[str]) -> str:
    token: str = (await _post(client, SIGN_UP, email=email))["signUp"]["accessToken"]
    for figure in figures:
        await _post(client, WATCH, token, id=figure)
        await _post(client, HOLD, token, id=figure)
    return token


async def main(admin_url: str, redis_url: str) -> None:
    url = await create_database(admin_url, prefix="stonks_bench")
    try:
        await asyncio.to_thread(migrations.upgrade, url)
        engine = create_async_engine(async_url(url))
        async with engine.begin() as connection:
            session = AsyncSession(bind=connection)
            entries = [CatalogEntry(f"bn{i:04d}", f"Figure {i}") for i in range(200)]
            ids = await upsert_minifigures(session, entries)
            await session.commit()
        await engine.dispose()
        figures = [to_global_id("Minifigure", ids[e.fig_num]) for e in entries]
        settings = Settings(
            _env_file=None, database_url=SecretStr(url), redis_url=SecretStr(redis_url)
        )
        app = create_app(settings)
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://bench") as client,
        ):
            small = await _user(client, "small@example.com", figures[:10])
            large = await _user(client, "large@example.com", figures)
            api_key = (await _post(client, KEY, small))["createApiKey"]["secret"]

            # Warm-up: connections in the pool, documents parsed once, JIT-free Python caches.
            for query, token in (("{ viewer { __typename } }", None), (WATCHLIST, large)):
                await _median(client, query, token)
            anonymous = await _median(client, "{ viewer { __typename } }")
            with_token = await _median(client, "{ viewer { email } }", small)
            with_key = await _median(client, "{ viewer { email } }", api_key)
            watch_10 = await _median(client, WATCHLIST, small)
            watch_200 = await _median(client, WATCHLIST, large)
            hold_10 = await _median(client, PORTFOLIO, small)
            hold_200 = await _median(client, PORTFOLIO, large)
        print("| request | median ms | ratio |")
        print("|---|---|---|")
        for name, seconds, reference in (
            ("anonymous `viewer` (reference)", anonymous, anonymous),
            ("`viewer { email }`, access token", with_token, anonymous),
            ("`viewer { email }`, API key", with_key, anonymous),
            ("watchlist, 10 items (reference)", watch_10, watch_10),
            ("watchlist, 200 items", watch_200, watch_10),
            ("portfolio, 10 holdings (reference)", hold_10, hold_10),
            ("portfolio, 200 holdings", hold_200, hold_10),
        ):
            print(f"| {name} | {seconds * 1000:.2f} | {seconds / reference:.2f} |")
    finally:
        await drop_database(admin_url, url)


if __name__ == "__main__":
    asyncio.run(
        main(
            sys.argv[1] if len(sys.argv) > 1 else "postgresql://postgres@127.0.0.1:5432/postgres",
            sys.argv[2] if len(sys.argv) > 2 else "redis://127.0.0.1:6379/0",
        )
    )
