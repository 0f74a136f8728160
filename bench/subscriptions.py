"""Live subscriptions at scale: commit-to-receipt latency, delivered messages/s, CPU, memory.

    uv run python bench/subscriptions.py [--subscribers 10000] [--rates 100 1000]
                                         [--seconds 20] [--ceiling-subscribers 1000]

One run, on a fresh migrated database and a private redis-server:

- catalog: 5,000 minifigures in 60 themes;
- one API process (`stonks serve`); client processes of their own (bench/subscriptions_clients.py)
  holding one WebSocket connection per subscriber: 90 % filtered to one figure
  (`figNums`), 9 % to a theme, 1 % unfiltered;
- events committed through the ingest pipeline (validate, normalize, dedupe, insert and
  stage the events in one transaction, then deliver from the outbox) at each RATE for
  SECONDS; every listing's commit time is recorded, every frame's arrival time too:
  commit->receipt p50/p99, delivered messages/s, frames lost;
- the reference, in the same run on the same events: a raw Redis pub/sub subscriber of
  the event channel, timed from the same commits;
- the API process's CPU (utime+stime from /proc) and memory (RSS) per subscriber;
- the ceiling: CEILING identical unfiltered subscriptions, events published back to back,
  delivered messages/s until every client has every event.

The machine is shared: read the ratios against the reference, not the absolute times.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import multiprocessing
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from redis.asyncio import Redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.subscriptions_clients import client_process, subscribe_message
from server import migrations
from server.events import EventBus, PriceTick
from server.settings import Settings
from server.store.catalog import CatalogEntry, upsert_minifigures
from tests.databases import create_database, drop_database
from tests.live.servers import ApiProcess, api_process, throwaway_redis
from workers.context import Services, open_services
from workers.pipeline.observation import Observation
from workers.pipeline.outbox import deliver, stage_events
from workers.pipeline.persist import persist_batch

FIGURES = 5_000
THEMES = 60
BATCHES_PER_SECOND = 10
QUERY = (
    "subscription Ticks($filter: PriceTickFilter) { priceTicks(filter: $filter) "
    "{ eventId listingId kind condition priceUsd observedAt minifigure { figNum name theme } } }"
)
ADMIN_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def fig_num(n: int) -> str:
    return f"sw{n:04d}"


def theme(n: int) -> str:
    return f"Theme {n % THEMES:02d}"


def mixed_subscriptions(count: int) -> list[bytes]:
    """90 % one figure each (spread over the catalog), 9 % one theme each, 1 % everything."""
    by_theme, unfiltered = count * 9 // 100, count // 100
    by_figure = count - by_theme - unfiltered
    messages = [
        subscribe_message(QUERY, {"filter": {"figNums": [fig_num(n % FIGURES)]}})
        for n in range(by_figure)
    ]
    messages += [
        subscribe_message(QUERY, {"filter": {"themes": [theme(n)]}}) for n in range(by_theme)
    ]
    messages += [subscribe_message(QUERY, {}) for _ in range(unfiltered)]
    return messages


def expected_receivers(count: int) -> tuple[dict[str, int], dict[str, int], int]:
    """Per figure and per theme, how many subscribers want its ticks; plus the unfiltered."""
    by_theme, unfiltered = count * 9 // 100, count // 100
    by_figure = count - by_theme - unfiltered
    figures: dict[str, int] = {}
    for n in range(by_figure):
        figures[fig_num(n % FIGURES)] = figures.get(fig_num(n % FIGURES), 0) + 1
    themes: dict[str, int] = {}
    for n in range(by_theme):
        themes[theme(n)] = themes.get(theme(n), 0) + 1
    return figures, themes, unfiltered


@dataclass
class Clients:
    processes: list[multiprocessing.Process]
    commands: list[Any]  # one queue per process: each must answer for itself
    results: Any

    def count(self) -> int:
        for commands in self.commands:
            commands.put("count")
        return sum(self.results.get()[1] for _ in self.processes)

    async def settle(self, expected: int, quiet_s: float = 10.0, limit_s: float = 240.0) -> None:
        """Waits until every expected frame arrived, or none arrived for `quiet_s`."""
        deadline = time.time() + limit_s
        last, last_change = -1, time.time()
        while time.time() < deadline:
            count = await asyncio.to_thread(self.count)
            if count >= expected:
                return
            if count != last:
                last, last_change = count, time.time()
            elif time.time() - last_change > quiet_s:
                return
            await asyncio.sleep(0.5)

    def report(self) -> tuple[list[tuple[bytes, float]], int, float, dict[int, int]]:
        for commands in self.commands:
            commands.put("report")
        frames: list[tuple[bytes, float]] = []
        count, last, closes = 0, 0.0, {}
        for _ in self.processes:
            _, got, n, at, closed = self.results.get()
            frames += got
            count += n
            last = max(last, at)
            for code, times in closed.items():
                closes[code] = closes.get(code, 0) + times
        for process in self.processes:
            process.join()
        return frames, count, last, closes


def start_clients(port: int, subscriptions: list[bytes], processes: int, keep: bool) -> Clients:
    context = multiprocessing.get_context("spawn")
    commands = [context.Queue() for _ in range(processes)]
    results = context.Queue()
    shares = [subscriptions[n::processes] for n in range(processes)]
    started = [
        context.Process(target=client_process, args=(port, share, keep, queue, results))
        for share, queue in zip(shares, commands, strict=True)
    ]
    for process in started:
        process.start()
    for _ in started:
        kind, _ = results.get()
        assert kind == "ready"
    return Clients(started, commands, results)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else float("nan")


def listing_id(global_id: bytes) -> int:
    return int(base64.urlsafe_b64decode(global_id).decode().partition(":")[2])


def raw_reference_process(redis_url: str, channel: str, stop: Any, results: Any) -> None:
    """A plain Redis pub/sub subscriber of the same channel, in a process of its own."""

    async def follow() -> dict[int, float]:
        redis = Redis.from_url(redis_url)
        pubsub = redis.pubsub()
        await pubsub.subscribe(channel)
        arrivals: dict[int, float] = {}
        while not stop.is_set():
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.2)
            if message is None:
                continue
            payload = json.loads(message["data"].partition(b" ")[2])
            if payload.get("type") == "price_tick":
                arrivals[payload["listing_id"]] = time.time()
        await pubsub.aclose()  # type: ignore[no-untyped-call]
        await redis.aclose()
        return arrivals

    results.put(asyncio.run(follow()))


async def ingest(
    services: Services, rate: int, seconds: float, figures: list[str], commits: dict[int, float]
) -> int:
    """Commits `rate` listings per second through the pipeline, in 10 batches a second."""
    per_batch = max(1, rate // BATCHES_PER_SECOND)
    batches = int(seconds * BATCHES_PER_SECOND)
    started = time.time()
    committed = 0
    for n in range(batches):
        now = datetime.now(UTC)
        observations = [
            Observation(
                source="bricklink",
                external_id=f"bench-{uuid.uuid4().hex}",
                fig_num=random.choice(figures),
                observed_at=now,
                kind=random.choice(("SOLD", "ASK")),
                condition=random.choice(("new", "used")),
                price=Decimal(random.randint(100, 9_000)) / 100,
                currency="USD",
            )
            for _ in range(per_batch)
        ]
        async with services.session_factory() as session, session.begin():
            outcome = await persist_batch(session, observations, now=now)
            outbox_id = await stage_events(session, outcome.ticks)
        at = time.time()
        for tick in outcome.ticks:
            commits[tick.listing_id] = at
        committed += len(outcome.ticks)
        await deliver(services, outbox_id)
        await asyncio.sleep(max(0.0, started + (n + 1) / BATCHES_PER_SECOND - time.time()))
    return committed


async def mixed_load(
    api: ApiProcess,
    services: Services,
    redis_url: str,
    subscribers: int,
    rate: int,
    seconds: float,
    processes: int,
) -> str:
    figures = [fig_num(n) for n in range(FIGURES)]
    rss_before = api.rss_bytes()
    clients = start_clients(api.port, mixed_subscriptions(subscribers), processes, keep=True)
    stats = await api.wait_for(lambda s: s["subscribers"] == subscribers, "subscribing", 900)
    await asyncio.sleep(2)  # let the allocator settle before reading the idle memory
    rss_idle = api.rss_bytes()
    context = multiprocessing.get_context("spawn")
    stop, reference_results = context.Event(), context.Queue()
    reference = context.Process(
        target=raw_reference_process,
        args=(redis_url, services.bus.channel, stop, reference_results),
    )
    reference.start()
    await asyncio.sleep(2)  # the reference process is subscribed
    commits: dict[int, float] = {}
    cpu_start, wall_start = cpu_seconds(api.process.pid), time.time()
    committed = await ingest(services, rate, seconds, figures, commits)
    expected = await _expected_frames(subscribers, commits, services)
    await clients.settle(expected)
    cpu = cpu_seconds(api.process.pid) - cpu_start
    wall = time.time() - wall_start
    stop.set()
    arrivals: dict[int, float] = await asyncio.to_thread(reference_results.get)
    reference.join()
    after = api.stats()
    frames, _, last, closes = clients.report()

    latencies = [at - commits[listing_id(g)] for g, at in frames if listing_id(g) in commits]
    raw = [arrivals[i] - commits[i] for i in commits if i in arrivals]
    delivered_rate = len(latencies) / max(1e-9, (last or time.time()) - wall_start)
    p50, p99, r50, r99 = pct(latencies, 50), pct(latencies, 99), pct(raw, 50), pct(raw, 99)
    return (
        f"| {subscribers:,} | {rate:,}/s | {committed:,} | {expected:,} | {len(latencies):,} "
        f"| {delivered_rate:,.0f} | {p50:.1f} / {p99:.1f} | {r50:.2f} / {r99:.2f} "
        f"| {p50 / r50:.0f}x / {p99 / r99:.0f}x "
        f"| {100 * cpu / wall:.0f} % ({1e6 * cpu / max(1, len(latencies)):.0f} µs/msg) "
        f"| {(rss_idle - rss_before) / subscribers / 1024:.1f} KiB "
        f"| {stats['shared_operations']:,} | {after['slow_consumers_dropped']} "
        f"| {closes or '-'} |"
    )


async def _expected_frames(subscribers: int, commits: dict[int, float], services: Services) -> int:
    """How many frames the committed ticks should produce, from their stored figures."""
    from sqlalchemy import text

    figures, themes, unfiltered = expected_receivers(subscribers)
    async with services.session_factory() as session:
        rows = await session.execute(
            text(
                "SELECT m.fig_num, m.theme FROM price_listings l JOIN minifigures m "
                "ON m.id = l.minifigure_id WHERE l.id = ANY(:ids)"
            ),
            {"ids": list(commits)},
        )
        return sum(
            figures.get(fig, 0) + themes.get(theme_name or "", 0) + unfiltered
            for fig, theme_name in rows
        )


async def ceiling(
    api: ApiProcess, bus: EventBus, figure: str, subscribers: int, events: int, processes: int
) -> str:
    """Identical unfiltered subscriptions, events published back to back: msg/s delivered."""
    clients = start_clients(
        api.port, [subscribe_message(QUERY, {}) for _ in range(subscribers)], processes, keep=False
    )
    await api.wait_for(lambda s: s["subscribers"] == subscribers, "subscribing", 900)
    cpu_start, started = cpu_seconds(api.process.pid), time.time()
    for first in range(0, events, 100):
        await bus.publish([
            PriceTick(
                listing_id=n, minifigure_id=figure, fig_num=fig_num(0), theme=theme(0),
                source="bench", kind="SOLD", condition="USED", price_usd=Decimal("12.50"),
                quantity=1, observed_at=datetime.now(UTC), excluded_reason=None,
            )
            for n in range(first, min(events, first + 100))
        ])  # fmt: skip
    expected = subscribers * events
    await clients.settle(expected)
    cpu = cpu_seconds(api.process.pid) - cpu_start
    _, count, last, closes = clients.report()
    elapsed = last - started
    return (
        f"| {subscribers:,} identical, unfiltered | {events:,} | {expected:,} | {count:,} "
        f"| {count / elapsed:,.0f} | {100 * cpu / elapsed:.0f} % | {closes or '-'} |"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--rates", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--ceiling-subscribers", type=int, default=1_000)
    parser.add_argument("--ceiling-events", type=int, default=300)
    parser.add_argument("--client-processes", type=int, default=2)
    args = parser.parse_args()
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the API and clients inherit it

    db_url = await create_database(ADMIN_URL)
    await asyncio.to_thread(migrations.upgrade, db_url)
    lines: list[str] = []
    try:
        with tempfile.TemporaryDirectory() as scratch, throwaway_redis(Path(scratch)) as redis:
            namespace = f"bench:{uuid.uuid4().hex}"
            settings = Settings(
                _env_file=None,
                database_url=SecretStr(db_url),
                redis_url=SecretStr(redis.url),
                redis_namespace=namespace,
            )
            from server.db import create_engine

            engine = create_engine(settings)
            services = open_services(settings, engine)
            ids: dict[str, uuid.UUID] = {}
            for first in range(0, FIGURES, 1000):  # a statement takes at most 32,767 parameters
                async with services.session_factory() as session, session.begin():
                    ids |= await upsert_minifigures(
                        session,
                        [
                            CatalogEntry(fig_num(n), f"Figure {n}", theme(n))
                            for n in range(first, first + 1000)
                        ],
                    )
            lines.append(
                "| subscribers | rate | committed | frames expected | frames received "
                "| delivered msg/s | commit->receipt p50 / p99 ms | raw Redis p50 / p99 ms "
                "| ratio p50 / p99 | API CPU | idle memory / subscriber | shared operations "
                "| slow consumers dropped | closes seen |"
            )
            lines.append("|" + "---|" * 14)
            for rate in args.rates:
                # One client IP holds every subscriber: an anonymous budget would refuse most.
                with api_process(db_url, redis.url, namespace, rate_limit_enabled="false") as api:
                    line = await mixed_load(
                        api,
                        services,
                        redis.url,
                        args.subscribers,
                        rate,
                        args.seconds,
                        args.client_processes,
                    )
                print(line, flush=True)
                lines.append(line)
            lines.append("")
            lines.append(
                "| ceiling | events | frames expected | frames received | delivered msg/s "
                "| API CPU | closes seen |"
            )
            lines.append("|" + "---|" * 7)
            with api_process(
                db_url, redis.url, namespace, live_queue_size="100000", rate_limit_enabled="false"
            ) as api:
                line = await ceiling(
                    api,
                    services.bus,
                    str(ids[fig_num(0)]),
                    args.ceiling_subscribers,
                    args.ceiling_events,
                    args.client_processes,
                )
            print(line, flush=True)
            lines.append(line)
            await services.redis.aclose()
            await engine.dispose()
    finally:
        await drop_database(ADMIN_URL, db_url)
    print("\n".join(lines))


if __name__ == "__main__":
    asyncio.run(main())
