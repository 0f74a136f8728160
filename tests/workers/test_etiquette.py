"""Token bucket, circuit breaker and Retry-After parsing, on an injected clock."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import httpx
import pytest
from redis.asyncio import Redis

from tests.workers.conftest import RecordedSleeps
from workers.context import Services
from workers.sources.errors import CircuitOpenError
from workers.sources.etiquette import CircuitBreaker, TokenBucket, backoff_delay
from workers.sources.http import retry_after_seconds


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_bucket_allows_a_burst_then_waits_for_tokens(services: Services) -> None:
    clock, sleeps = Clock(), RecordedSleeps()

    async def sleep(seconds: float) -> None:
        await sleeps(seconds)
        clock.now += seconds

    key = f"{services.settings.redis_namespace}:bucket:test"
    bucket = TokenBucket(services.redis, key, rate=2.0, capacity=3, clock=clock, sleep=sleep)
    for _ in range(3):
        await bucket.acquire()
    assert sleeps == []
    await bucket.acquire()
    assert len(sleeps) == 1
    assert sleeps[0] == pytest.approx(0.5)


async def test_three_workers_share_one_budget(redis_url: str, namespace: str) -> None:
    """Three workers, each with its own Redis connection and its own bucket object for
    one source, together get `rate` tokens a second, not three times as many."""
    rate, per_worker = 20.0, 10
    clients = [Redis.from_url(redis_url) for _ in range(3)]
    key = f"{namespace}:bucket:bricklink"
    granted: list[float] = []

    async def worker(redis: Redis) -> None:
        bucket = TokenBucket(redis, key, rate=rate, capacity=1)
        for _ in range(per_worker):
            await bucket.acquire()
            granted.append(time.time())

    try:
        started = time.time()
        await asyncio.gather(*(worker(redis) for redis in clients))
    finally:
        for redis in clients:
            await redis.aclose()

    # 30 tokens at 20 a second with a burst of 1: at least 29 / 20 s, however the three
    # interleave. Per-process buckets would have finished in about 9 / 20 s.
    assert len(granted) == 3 * per_worker
    assert max(granted) - started >= (3 * per_worker - 1) / rate - 0.05
    granted.sort()
    # No second holds more than the rate (plus the burst).
    assert all(sum(1 for t in granted if start <= t < start + 1) <= rate + 1 for start in granted)


async def test_breaker_opens_after_the_threshold_and_half_opens_after_cooldown(
    services: Services,
) -> None:
    clock = Clock()
    key = f"{services.settings.redis_namespace}:breaker:bricklink"
    breaker = CircuitBreaker(
        services.redis, key, "bricklink", threshold=3, cooldown=60, clock=clock
    )
    # Another worker's breaker for the same source: the same state.
    other = CircuitBreaker(services.redis, key, "bricklink", threshold=3, cooldown=60, clock=clock)
    for _ in range(3):
        await breaker.check()
        await breaker.record_failure()
    with pytest.raises(CircuitOpenError) as open_error:
        await other.check()
    assert open_error.value.retry_after == 60
    clock.now = 61
    await other.check()  # the trial request
    await other.record_failure()
    with pytest.raises(CircuitOpenError):
        await breaker.check()
    clock.now = 200
    await breaker.check()
    await breaker.record_success()
    await other.record_failure()
    await other.check()  # one failure after a success does not open it


def test_backoff_is_capped_and_jittered() -> None:
    delays = [backoff_delay(attempt, base=1, cap=10) for attempt in range(12) for _ in range(20)]
    assert all(0 <= d <= 10 for d in delays)
    assert len(set(delays)) > 100


def test_retry_after_as_seconds_or_http_date() -> None:
    now = datetime(2026, 11, 22, 18, 0, tzinfo=UTC)
    seconds = httpx.Response(429, headers={"Retry-After": "30"})
    dated = httpx.Response(503, headers={"Retry-After": "Sun, 22 Nov 2026 18:02:00 GMT"})
    garbage = httpx.Response(503, headers={"Retry-After": "soon"})
    assert retry_after_seconds(seconds, now) == 30
    assert retry_after_seconds(dated, now) == 120
    assert retry_after_seconds(garbage, now) is None
    assert retry_after_seconds(httpx.Response(429), now) is None
