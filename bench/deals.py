"""What a page of deals costs, as ratios against a catalog page with prices.

Run: `uv run python bench/deals.py [POSTGRES_ADMIN_URL] [REDIS_URL]` (defaults: the local
servers). Creates a scratch database with a market built in SQL: per figure 30 days of
USED sales and, on two sources, three offers each sighted daily for 7 days (72 rows per
figure). Times whole GraphQL requests through the ASGI app (no network), each the median
of many rounds, first with 250 figures, then with 1,000:

  reference     `minifigures(first: 20)` with each figure's latest sale and lowest ask
  deals         `deals(first: 20)` with minifigure and spread; its second page; `first: 100`

A page of deals ranks every current ask of the catalog against its figure's sold median,
so its cost grows with the market (the number of current asks), not with the page.
Absolute times drift between machines; the ratios are what to compare.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from typing import Any

import httpx
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from server import migrations
from server.app import create_app
from server.db import async_url
from server.settings import Settings
from tests.databases import create_database, drop_database

ROUNDS = 30
CATALOG = """{ minifigures(first: 20, orderBy: {field: FIG_NUM}) {
  nodes { figNum latestPrice { lastSale lowestAsk } } } }"""
DEALS = """query($first: Int!, $after: String) {
  deals(minDiscountPct: 20, first: $first, after: $after) {
    edges { node { ask soldMedian discountPct url minifigure { figNum }
                   spread { source asks lowest } } }
    pageInfo { endCursor } } }"""

_FIGURES = text(
    """
    INSERT INTO minifigures (fig_num, name, theme)
    SELECT 'bd' || lpad(i::text, 5, '0'), 'Bench figure ' || i, 'Bench'
    FROM generate_series(CAST(:first AS int), CAST(:last AS int)) AS i
    """
)
# Sales around 10.00; asks from 6.00 to 12.00, so about a third are 20 % deals.
_SALES = text(
    """
    INSERT INTO price_listings (minifigure_id, source, external_id, observed_at, kind,
        condition, price_usd, original_price, original_currency, fx_rate)
    SELECT m.id, 'bricklink', 'bench-sold-' || m.fig_num || '-' || d,
           now() - d * interval '1 day', 'SOLD', 'USED', p, p, 'USD', 1
    FROM minifigures m, generate_series(1, 30) AS d,
         LATERAL (SELECT round(9 + (abs(hashtext(m.fig_num || d)) % 200) / 100.0, 2) AS p) x
    WHERE m.fig_num BETWEEN :first_fig AND :last_fig
    """
)
_ASKS = text(
    """
    INSERT INTO price_listings (minifigure_id, source, external_id, observed_at, kind,
        condition, price_usd, original_price, original_currency, fx_rate, seller_name, raw)
    SELECT m.id, s, 'bench-ask-' || s || '-' || m.fig_num || '-' || o,
           date_trunc('day', now()) - d * interval '1 day', 'ASK', 'USED', p, p, 'USD', 1,
           s || '-seller-' || o, jsonb_build_object('itemWebUrl', 'https://example.com/' || o)
    FROM minifigures m, unnest(ARRAY['ebay', 'brickowl']) AS s, generate_series(1, 3) AS o,
         generate_series(0, 6) AS d,
         LATERAL (SELECT round(6 + (abs(hashtext(m.fig_num || s || o)) % 600) / 100.0, 2) AS p) x
    WHERE m.fig_num BETWEEN :first_fig AND :last_fig
    """
)


async def _post(client: httpx.AsyncClient, query: str, **variables: Any) -> Any:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def _median(client: httpx.AsyncClient, query: str, **variables: Any) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        await _post(client, query, **variables)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def _grow(url: str, first: int, last: int) -> None:
    engine = create_async_engine(async_url(url))
    bounds = {"first_fig": f"bd{first:05d}", "last_fig": f"bd{last:05d}"}
    async with engine.begin() as connection:
        await connection.execute(_FIGURES, {"first": first, "last": last})
        await connection.execute(_SALES, bounds)
        await connection.execute(_ASKS, bounds)
        await connection.execute(text("ANALYZE price_listings"))
    await engine.dispose()


async def _measure(client: httpx.AsyncClient) -> dict[str, float]:
    await _median(client, CATALOG)  # warm-up
    first_page = await _post(client, DEALS, first=20)
    after = first_page["deals"]["pageInfo"]["endCursor"]
    await _median(client, DEALS, first=20)
    return {
        "catalog page, 20 figures (reference)": await _median(client, CATALOG),
        "deals, first 20": await _median(client, DEALS, first=20),
        "deals, second page of 20": await _median(client, DEALS, first=20, after=after),
        "deals, first 100": await _median(client, DEALS, first=100),
    }


async def main(admin_url: str, redis_url: str) -> None:
    url = await create_database(admin_url, prefix="stonks_bench")
    try:
        await asyncio.to_thread(migrations.upgrade, url)
        settings = Settings(
            _env_file=None,
            database_url=SecretStr(url),
            redis_url=SecretStr(redis_url),
            rate_limit_enabled=False,  # the rounds would exhaust an anonymous budget
        )
        results: list[tuple[int, dict[str, float]]] = []
        for first, last in ((1, 250), (251, 1000)):
            await _grow(url, first, last)
            app = create_app(settings)
            transport = httpx.ASGITransport(app=app)
            async with (
                app.router.lifespan_context(app),
                httpx.AsyncClient(transport=transport, base_url="http://bench") as client,
            ):
                results.append((last, await _measure(client)))
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print("| figures | request | median ms | ratio |")
        print("|---|---|---|---|")
        for figures, timings in results:
            reference = next(iter(timings.values()))
            for name, seconds in timings.items():
                print(f"| {figures} | {name} | {seconds * 1000:.2f} | {seconds / reference:.2f} |")
    finally:
        await drop_database(admin_url, url)


if __name__ == "__main__":
    asyncio.run(
        main(
            sys.argv[1] if len(sys.argv) > 1 else "postgresql://postgres@127.0.0.1:5432/postgres",
            sys.argv[2] if len(sys.argv) > 2 else "redis://127.0.0.1:6379/0",
        )
    )
