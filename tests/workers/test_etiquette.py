"""Token bucket, circuit breaker and Retry-After parsing, on an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from tests.workers.conftest import RecordedSleeps
from workers.sources.errors import CircuitOpenError
from workers.sources.etiquette import CircuitBreaker, TokenBucket, backoff_delay
from workers.sources.http import retry_after_seconds


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_bucket_allows_a_burst_then_waits_for_tokens() -> None:
    clock, sleeps = Clock(), RecordedSleeps()

    async def sleep(seconds: float) -> None:
        await sleeps(seconds)
        clock.now += seconds

    bucket = TokenBucket(rate=2.0, capacity=3, clock=clock, sleep=sleep)
    for _ in range(3):
        await bucket.acquire()
    assert sleeps == []
    await bucket.acquire()
    assert len(sleeps) == 1
    assert sleeps[0] == pytest.approx(0.5)


def test_breaker_opens_after_the_threshold_and_half_opens_after_cooldown() -> None:
    clock = Clock()
    breaker = CircuitBreaker("bricklink", threshold=3, cooldown=60, clock=clock)
    for _ in range(3):
        breaker.check()
        breaker.record_failure()
    with pytest.raises(CircuitOpenError) as open_error:
        breaker.check()
    assert open_error.value.retry_after == 60
    clock.now = 61
    breaker.check()  # the trial request
    breaker.record_failure()
    with pytest.raises(CircuitOpenError):
        breaker.check()
    clock.now = 200
    breaker.check()
    breaker.record_success()
    breaker.record_failure()
    breaker.check()  # one failure after a success does not open it


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
