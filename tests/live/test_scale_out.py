"""Several API processes behind one Redis, and that Redis restarting under load."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from server.events import EventBus
from tests.live.conftest import Figure, tick
from tests.live.servers import ApiProcess, ThrowawayRedis, api_process, throwaway_redis
from tests.live.wsclient import Follower


@contextlib.contextmanager
def two_api_processes(
    database_url: str, redis_url: str, namespace: str
) -> Iterator[list[ApiProcess]]:
    with (
        api_process(database_url, redis_url, namespace) as first,
        api_process(database_url, redis_url, namespace) as second,
    ):
        yield [first, second]


async def _all_log_ids(bus: EventBus) -> list[str]:
    return [e.id for e in (await bus.read_log("0-0", count=1_000_000)).envelopes]


async def test_every_subscriber_on_every_process_gets_every_event_once(
    database_url: str, redis_url: str, figures: dict[str, Figure]
) -> None:
    namespace = f"test:{uuid.uuid4().hex}"
    redis = Redis.from_url(redis_url)
    bus = EventBus(redis, namespace=namespace)
    luke, batman = figures["sw0001a"], figures["sh0001"]
    try:
        with two_api_processes(database_url, redis_url, namespace) as apis:
            followers = [Follower(api.ws_url) for api in apis for _ in range(10)]
            for follower in followers:
                await follower.start()
            for api in apis:
                await api.wait_for(lambda s: s["subscribers"] == 10, "subscribing")

            # Two publishers at once, as two ingestion workers would.
            async def publish(figure: Figure, first: int) -> None:
                for batch in range(10):
                    base = first + batch * 10
                    await bus.publish([tick(figure, base + n) for n in range(10)])

            await asyncio.gather(publish(luke, 0), publish(batman, 1000))
            logged = await _all_log_ids(bus)
            assert len(logged) == 200
            for follower in followers:
                await follower.wait_for(logged[-1])
            for follower in followers:
                assert follower.ids == logged  # every event, once, in log order
                await follower.stop()
    finally:
        await redis.delete(bus.log_key)
        await redis.aclose()


SUBSCRIBERS = 100


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[ThrowawayRedis]:
    # Never the shared Redis on 6379: this test restarts its server.
    with throwaway_redis(tmp_path) as redis:
        yield redis


async def test_a_redis_restart_under_load_leaves_no_gap_for_connected_or_resuming_clients(
    database_url: str, private_redis: ThrowawayRedis, figures: dict[str, Figure]
) -> None:
    namespace = "stonks-restart-test"
    redis = Redis.from_url(private_redis.url)
    bus = EventBus(redis, namespace=namespace)
    luke = figures["sw0001a"]
    published = 0
    stop_publishing = asyncio.Event()
    progress = asyncio.Event()

    async def publish_continuously() -> None:
        # A worker's contract: publish after commit, retry while Redis is away.
        nonlocal published
        while not stop_publishing.is_set():
            try:
                await bus.publish([tick(luke, published)])
                published += 1
                progress.set()
            except (RedisConnectionError, ConnectionError, OSError):
                await asyncio.sleep(0.05)
                continue
            await asyncio.sleep(0.02)

    with two_api_processes(database_url, private_redis.url, namespace) as apis:
        followers = [Follower(apis[n % 2].ws_url) for n in range(SUBSCRIBERS)]
        for follower in followers:
            await follower.start()
        for api in apis:
            await api.wait_for(lambda s: s["subscribers"] == SUBSCRIBERS // 2, "subscribing")
        publisher = asyncio.create_task(publish_continuously())
        await _until(lambda: published >= 50, progress)
        before_restart = published

        private_redis.stop()
        # Half the clients drop their connection while Redis is down ...
        resuming = followers[::2]
        for follower in resuming:
            await follower.stop()
        await asyncio.sleep(0.5)
        private_redis.start()
        # ... and come back with `since` once it is up again.
        for api in apis:
            await api.wait_for(lambda s: s["reconnects"] >= 1 and s["connected"], "hub reconnect")
        for follower in resuming:
            await follower.resume()
        await _until(lambda: published >= before_restart + 100, progress)
        stop_publishing.set()
        await publisher

        logged = await _all_log_ids(bus)
        assert len(logged) == published
        for follower in followers:
            await follower.wait_for(logged[-1])
        for follower in followers:
            assert follower.ids == logged, "a subscriber's sequence has a gap or a duplicate"
            await follower.stop()
    await redis.aclose()


async def _until(condition: Callable[[], bool], progress: asyncio.Event) -> None:
    async with asyncio.timeout(30):
        while not condition():
            progress.clear()
            await progress.wait()
