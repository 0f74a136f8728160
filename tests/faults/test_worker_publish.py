"""The worker SIGKILLed after its commit, before or while its events reach the Redis log.

Real processes: `stonks serve` with a live subscriber, `stonks worker` ticking the demo
market, a Redis of the test's own. The worker is held before its commit (snapshot locks),
Redis is told to hold every write (CLIENT PAUSE WRITE), the locks are released: the worker
commits, claims its staged batch and sends it to Redis, where it waits. Then either the
worker is killed there (the batch never reaches the log), or it is frozen, Redis resumes
(the batch is appended, the worker never hears so) and it is killed (the batch is still
staged); the test does both, one after the other. Either way a restarted worker relays
the batch, and the subscriber gets every committed listing once, each run's status and
snapshots once in the log too.
"""

from __future__ import annotations

import json
import signal
import subprocess
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from functools import partial
from pathlib import Path

import pytest
from redis.asyncio import Redis

from server.events import EventBus, PriceTick, SyncRunUpdated
from tests.databases import fetch_value
from tests.faults.convergence import DAYS_WITHOUT_SNAPSHOT, SNAPSHOTS_OFF, TICKS
from tests.faults.deliveries import (
    assert_each_delivered_once,
    committed_listings,
    received_all,
)
from tests.faults.holds import batches_being_delivered, held_before_recompute
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

# Long enough that the rest of the test never runs into it: it is lifted explicitly.
PAUSE_MS = 60_000
SETTLED_WITHIN_S = 60
SUCCEEDED_TICKS = (
    "SELECT array_agg(id ORDER BY id) FROM sync_runs WHERE kind = 'tick' AND status = 'succeeded'"
)


@pytest.fixture
async def bus(own_redis: OwnRedis) -> AsyncIterator[EventBus]:
    redis = Redis.from_url(own_redis.url)
    yield EventBus(redis)
    await redis.aclose()


@pytest.fixture
def env(own_redis: OwnRedis, own_database: str) -> dict[str, str]:
    return stonks_environment(
        database_url=own_database,
        redis_url=own_redis.url,
        port=str(free_port()),
        demo_tick_seconds="3",
        demo_backfill_days="0",
    )


@pytest.fixture
def api(env: dict[str, str], tmp_path: Path) -> Iterator[int]:
    process = stonks("serve", env=env, log=tmp_path / "api.log")
    port = int(env["PORT"])
    try:
        wait_for(lambda: serving(port), STARTUP_TIMEOUT_S, "the API serves")
        yield port
    finally:
        stop(process)


def _listing_ids(payloads: list[str]) -> set[int]:
    events = [json.loads(payload) for payload in payloads]
    return {e["listing_id"] for e in events if e["type"] == "price_tick"}


async def _kill_mid_publish(
    worker: subprocess.Popen[bytes], database_url: str, bus: EventBus, *, reached_the_log: bool
) -> None:
    """Kills the worker between its next commit and its batch's removal from the outbox."""
    async with held_before_recompute(database_url):
        await bus.redis.client_pause(PAUSE_MS, all=False)
    # Committed; now waiting for Redis to take the batch.
    await until(lambda: _delivering(database_url), 30, "the worker sends its batch")
    stuck = await batches_being_delivered(database_url)
    stuck_listings = _listing_ids([p for payloads in stuck.values() for p in payloads])
    assert stuck_listings

    if reached_the_log:
        worker.send_signal(signal.SIGSTOP)
        await bus.redis.client_unpause()
        await until(lambda: _logged(bus, stuck_listings), 10, "the batch reaches the log")
    worker.kill()
    worker.wait()
    await bus.redis.client_unpause()
    logged = await _logged_listings(bus)
    assert stuck_listings <= logged if reached_the_log else not stuck_listings & logged


async def test_a_worker_killed_mid_publish_delivers_its_batch_once_after_restart(
    own_database: str, bus: EventBus, env: dict[str, str], api: int, tmp_path: Path
) -> None:
    log = tmp_path / "worker.log"
    # Subscribed before the worker starts: it must see every listing ever committed.
    follower = Follower(f"ws://127.0.0.1:{api}/graphql")
    await follower.start()
    worker = stonks("worker", env=env, log=log)
    try:
        # Killed before its batch reached the log (the relay appends it), then after (the
        # relay must not append it again).
        for reached_the_log in (False, True):
            ticks = await fetch_value(own_database, TICKS)
            assert isinstance(ticks, int)
            await until(partial(_more_ticks, own_database, ticks), STARTUP_TIMEOUT_S, "ticking")
            await _kill_mid_publish(worker, own_database, bus, reached_the_log=reached_the_log)
            worker = stonks("worker", env=env, log=log)
            await until(lambda: _outbox_empty(own_database), SETTLED_WITHIN_S, "outbox drained")

        # Runs first: their listings are among those read next (they commit together).
        succeeded_runs = await fetch_value(own_database, SUCCEEDED_TICKS)
        assert isinstance(succeeded_runs, list)
        committed = await committed_listings(own_database)
        await until(lambda: received_all(follower, committed), SETTLED_WITHIN_S, "all delivered")
    finally:
        await follower.stop()
        stop(worker)

    await assert_each_delivered_once(
        follower, bus, committed, await committed_listings(own_database)
    )
    # The batch's other events too: each run's final status once (none lost, none twice).
    logged_runs = Counter(
        e.event.sync_run_id
        for e in (await bus.read_log("0-0", 100_000)).envelopes
        if isinstance(e.event, SyncRunUpdated) and e.event.status == "succeeded"
    )
    assert set(succeeded_runs) <= set(logged_runs)
    assert set(logged_runs.values()) == {1}
    assert await fetch_value(own_database, DAYS_WITHOUT_SNAPSHOT) == 0
    assert await fetch_value(own_database, SNAPSHOTS_OFF) == 0


async def _more_ticks(database_url: str, than: int) -> bool:
    count = await fetch_value(database_url, TICKS)
    assert isinstance(count, int)
    return count > than


async def _delivering(database_url: str) -> bool:
    return bool(await batches_being_delivered(database_url))


async def _logged_listings(bus: EventBus) -> set[int]:
    envelopes = (await bus.read_log("0-0", 100_000)).envelopes
    return {e.event.listing_id for e in envelopes if isinstance(e.event, PriceTick)}


async def _logged(bus: EventBus, listing_ids: set[int]) -> bool:
    return listing_ids <= await _logged_listings(bus)


async def _outbox_empty(database_url: str) -> bool:
    return await fetch_value(database_url, "SELECT count(*) FROM event_outbox") == 0
