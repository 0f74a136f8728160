"""Live subscriptions under load: N WebSocket subscribers, commit-to-receipt latency, memory.

Starts a private redis-server, one API process (`stonks serve`) on a fresh migrated
database, and client processes that each hold N / clients subscriptions. A publisher sends
RATE events per second for SECONDS; every event carries its publish time (`observedAt`),
so each subscriber measures publish-to-receipt latency. The reference, measured in the same
run on the same events: a raw Redis pub/sub subscriber's receive latency.

    uv run python bench/subscriptions.py --subscribers 1000 5000 --rate 5 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import websockets
from redis.asyncio import Redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server import migrations
from server.db import async_url
from server.events import EventBus, PriceTick, decode, message_id
from tests.databases import create_database, drop_database
from tests.live.servers import api_process, throwaway_redis

QUERY = "subscription { priceTicks { eventId observedAt priceUsd minifigure { figNum name } } }"


def _client_process(url: str, count: int, expected: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    asyncio.run(_clients(url, count, expected, out))


async def _clients(url: str, count: int, expected: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    latencies: list[float] = []
    received = 0

    async def one() -> None:
        nonlocal received
        ws = await websockets.connect(url, subprotocols=["graphql-transport-ws"], max_size=None)  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        await ws.recv()
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": QUERY}}))
        got = 0
        while got < expected:
            message = json.loads(await ws.recv())
            if message["type"] == "ping":
                await ws.send('{"type":"pong"}')
                continue
            if message["type"] != "next":
                continue
            tick = message["payload"]["data"]["priceTicks"]
            sent = datetime.fromisoformat(tick["observedAt"]).timestamp()
            latencies.append(time.time() - sent)
            got += 1
        received += got
        await ws.close()

    tasks = []
    for _ in range(count):
        tasks.append(asyncio.create_task(one()))
        await asyncio.sleep(0.002)  # a gentle connection ramp
    out.put(("ready", count))
    await asyncio.gather(*tasks)
    out.put(("done", latencies))


async def _raw_reference(bus: EventBus, expected: int, latencies: list[float]) -> None:
    pubsub = bus.redis.pubsub()
    await pubsub.subscribe(bus.channel)
    got = 0
    while got < expected:
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=30)
        if message is None:
            continue
        data = message["data"].decode()
        event = decode(data[len(message_id(data)) + 1 :])
        assert isinstance(event, PriceTick)
        latencies.append(time.time() - event.observed_at.timestamp())
        got += 1
    await pubsub.aclose()  # type: ignore[no-untyped-call]


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else 0.0


async def run(
    subscribers: int, clients: int, rate: float, seconds: float, db_url: str, redis_url: str
) -> None:
    namespace = f"bench:{uuid.uuid4().hex}"
    redis = Redis.from_url(redis_url)
    bus = EventBus(redis, namespace=namespace)
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    from server.store.catalog import CatalogEntry, upsert_minifigures

    engine = create_async_engine(async_url(db_url))
    async with async_sessionmaker(engine)() as session:
        ids = await upsert_minifigures(
            session, [CatalogEntry("sw0001a", "Luke Skywalker", "Star Wars")]
        )
        await session.commit()
    await engine.dispose()
    figure_id = str(ids["sw0001a"])
    expected = int(rate * seconds)
    with api_process(db_url, redis_url, namespace, live_queue_size="10000") as api:
        rss_idle = api.rss_bytes()
        out: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
        per_client = [
            subscribers // clients + (1 if n < subscribers % clients else 0) for n in range(clients)
        ]
        procs = [
            multiprocessing.Process(target=_client_process, args=(api.ws_url, n, expected, out))
            for n in per_client
            if n
        ]
        for p in procs:
            p.start()
        for _ in procs:
            out.get()
        await api.wait_for(lambda s: s["subscribers"] == subscribers, "subscribing", timeout_s=600)
        rss_connected = api.rss_bytes()
        reference: list[float] = []
        raw = asyncio.create_task(_raw_reference(bus, expected, reference))
        await asyncio.sleep(0.2)
        started = time.time()
        for n in range(expected):
            await bus.publish([
                PriceTick(
                    listing_id=n, minifigure_id=figure_id, fig_num="sw0001a", theme="Star Wars",
                    source="bench", kind="SOLD", condition="USED", price_usd=Decimal("12.50"),
                    quantity=1, observed_at=datetime.now(UTC), excluded_reason=None,
                )
            ])  # fmt: skip
            await asyncio.sleep(max(0.0, started + (n + 1) / rate - time.time()))
        latencies: list[float] = []
        for _ in procs:
            _, values = await asyncio.to_thread(out.get)
            latencies += values
        elapsed = time.time() - started
        await raw
        for p in procs:
            p.join()
    await redis.delete(bus.log_key)
    await redis.aclose()
    delivered = len(latencies)
    p50, p99 = _pct(latencies, 50), _pct(latencies, 99)
    r50, r99 = _pct(reference, 50), _pct(reference, 99)
    print(
        f"subscribers={subscribers:>6} rate={rate}/s events={expected} "
        f"delivered={delivered} ({delivered / elapsed:,.0f} msg/s) "
        f"latency p50={p50:.1f}ms p99={p99:.1f}ms | raw redis p50={r50:.2f}ms p99={r99:.2f}ms "
        f"| ratio p50={p50 / max(r50, 1e-6):.0f}x p99={p99 / max(r99, 1e-6):.0f}x "
        f"| memory/subscriber={(rss_connected - rss_idle) / subscribers / 1024:.1f} KiB",
        flush=True,
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--clients", type=int, default=max(1, (os.cpu_count() or 2) - 1))
    parser.add_argument("--rate", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--database-admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres"
    )
    args = parser.parse_args()
    db_url = await create_database(args.database_admin_url)
    await asyncio.to_thread(migrations.upgrade, db_url)
    try:
        with tempfile.TemporaryDirectory() as scratch, throwaway_redis(Path(scratch)) as redis:
            for n in args.subscribers:
                await run(n, args.clients, args.rate, args.seconds, db_url, redis.url)
    finally:
        await drop_database(args.database_admin_url, db_url)


if __name__ == "__main__":
    asyncio.run(main())
