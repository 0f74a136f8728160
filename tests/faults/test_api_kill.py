"""The API process SIGKILLed under live subscribers while a worker keeps committing.

Real processes: `stonks serve` (killed, then started again on the same port), `stonks
worker` ticking the demo market, a Redis of the test's own. The subscribers reconnect
with `since` (their last event id) and must get exactly what was committed meanwhile.
"""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from server.events import EventBus
from tests.databases import fetch_value
from tests.faults.convergence import TICKS
from tests.faults.deliveries import (
    assert_each_delivered_once,
    committed_listings,
    listing_id,
    received_all,
)
from tests.faults.processes import (
    STARTUP_TIMEOUT_S,
    OwnRedis,
    free_port,
    serving,
    stonks,
    stonks_environment,
    stop,
    until,
    wait_for,
)
from tests.live.wsclient import Follower

SUBSCRIBERS = 3
TICKS_WHILE_DOWN = 2
SETTLED_WITHIN_S = 30


@pytest.fixture
async def bus(own_redis: OwnRedis) -> AsyncIterator[EventBus]:
    redis = Redis.from_url(own_redis.url)
    yield EventBus(redis)
    await redis.aclose()


async def _ticks(database_url: str) -> int:
    count = await fetch_value(database_url, TICKS)
    assert isinstance(count, int)
    return count


async def test_subscribers_of_a_killed_api_resume_exactly_where_they_were(
    own_redis: OwnRedis, own_database: str, bus: EventBus, tmp_path: Path
) -> None:
    port = free_port()
    env = stonks_environment(
        database_url=own_database,
        redis_url=own_redis.url,
        port=str(port),
        demo_tick_seconds="1",
        demo_backfill_days="0",
    )
    log = tmp_path / "api.log"

    def serve() -> subprocess.Popen[bytes]:
        process = stonks("serve", env=env, log=log)
        wait_for(lambda: serving(port), STARTUP_TIMEOUT_S, "the API serves")
        return process

    api = serve()
    # Subscribed before the worker starts: they must see every listing ever committed.
    followers = [Follower(f"ws://127.0.0.1:{port}/graphql") for _ in range(SUBSCRIBERS)]
    for follower in followers:
        await follower.start()
    worker = stonks("worker", env=env, log=tmp_path / "worker.log")
    try:
        await until(
            lambda: _all_have_some(followers), STARTUP_TIMEOUT_S, "ticks reach every subscriber"
        )
        api.kill()
        api.wait()
        ticks = await _ticks(own_database)
        await until(
            lambda: _more_ticks(own_database, ticks + TICKS_WHILE_DOWN), 30, "ticks while down"
        )
        missed = set(await committed_listings(own_database)) - _received(followers[0])
        assert missed  # committed while no API ran: only the log can bring them

        api = await asyncio.to_thread(serve)
        for follower in followers:
            await follower.resume()
        ticks = await _ticks(own_database)
        await until(lambda: _more_ticks(own_database, ticks + 2), 30, "ticks after the restart")
        committed = await committed_listings(own_database)
        await until(lambda: _all_received(followers, committed), SETTLED_WITHIN_S, "caught up")
    finally:
        for follower in followers:
            await follower.stop()
        stop(worker)
        stop(api)

    after = await committed_listings(own_database)
    for follower in followers:
        assert missed <= _received(follower)
        await assert_each_delivered_once(follower, bus, committed, after)


def _received(follower: Follower) -> set[int]:
    return {listing_id(tick) for tick in follower.ticks}


async def _all_have_some(followers: list[Follower]) -> bool:
    return all(follower.ticks for follower in followers)


async def _all_received(followers: list[Follower], listing_ids: list[int]) -> bool:
    return all([await received_all(follower, listing_ids) for follower in followers])


async def _more_ticks(database_url: str, at_least: int) -> bool:
    return await _ticks(database_url) >= at_least
