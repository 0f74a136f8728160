"""Being a good API citizen: a token bucket, a daily quota, a circuit breaker, backoff.

The token bucket and the breaker live in the worker process; the daily quota is
counted in Redis so that restarts and several workers share one budget.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from server import metrics
from workers.sources.errors import CircuitOpenError, QuotaExhaustedError

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


def backoff_delay(
    attempt: int, *, base: float = 1.0, cap: float = 60.0, rng: random.Random | None = None
) -> float:
    """Capped exponential backoff with full jitter: uniform in [0, min(cap, base * 2^attempt)]."""
    ceiling = min(cap, base * 2**attempt)
    return (rng or random).uniform(0, ceiling)


@dataclass(slots=True)
class TokenBucket:
    """`rate` tokens per second, bursts up to `capacity`."""

    rate: float
    capacity: float
    clock: Clock = time.monotonic
    sleep: Sleep = asyncio.sleep
    _tokens: float = field(init=False)
    _updated: float = field(init=False)

    def __post_init__(self) -> None:
        self._tokens = self.capacity
        self._updated = self.clock()

    async def acquire(self) -> None:
        while True:
            now = self.clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            if self._tokens >= 1:
                self._tokens -= 1
                return
            await self.sleep((1 - self._tokens) / self.rate)


@dataclass(slots=True)
class CircuitBreaker:
    """Opens after `threshold` consecutive failures; after `cooldown` s lets one trial through."""

    source: str
    threshold: int = 5
    cooldown: float = 60.0
    clock: Clock = time.monotonic
    _failures: int = 0
    _opened_at: float | None = None

    def check(self) -> None:
        if self._opened_at is None:
            return
        remaining = self._opened_at + self.cooldown - self.clock()
        if remaining > 0:
            raise CircuitOpenError(
                self.source, f"circuit open after {self._failures} failures", remaining
            )
        # Half-open: this request is the trial; one more failure re-opens at once.
        self._opened_at = None
        metrics.SOURCE_BREAKER_OPEN.labels(self.source).set(0)
        self._failures = self.threshold - 1

    def record_success(self) -> None:
        self._failures = 0
        self._opened_at = None
        metrics.SOURCE_BREAKER_OPEN.labels(self.source).set(0)

    def record_failure(self) -> None:
        self._failures += 1
        if self._failures >= self.threshold:
            self._opened_at = self.clock()
            metrics.SOURCE_BREAKER_OPEN.labels(self.source).set(1)


@dataclass(frozen=True, slots=True)
class DailyQuota:
    """Requests per UTC day, counted in Redis under `<namespace>:quota:<source>:<day>`."""

    redis: Redis
    namespace: str
    source: str
    limit: int | None

    async def spend(self, now: datetime | None = None) -> None:
        if self.limit is None:
            return
        moment = now or datetime.now(UTC)
        key = f"{self.namespace}:quota:{self.source}:{moment:%Y%m%d}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, 2 * 86_400)
            used, _ = await pipe.execute()
        metrics.SOURCE_QUOTA_USED.labels(self.source).set(min(int(used), self.limit))
        if int(used) > self.limit:
            tomorrow = datetime.combine(moment.date() + timedelta(days=1), datetime.min.time(), UTC)
            raise QuotaExhaustedError(
                self.source,
                f"daily quota of {self.limit} requests used up",
                (tomorrow - moment).total_seconds(),
            )


@dataclass(slots=True)
class Etiquette:
    """Everything a source client consults before and after each request."""

    bucket: TokenBucket
    breaker: CircuitBreaker
    quota: DailyQuota | None = None
    sleep: Sleep = asyncio.sleep
    max_attempts: int = 4
    # Waits longer than this are not slept through in the job: it is deferred instead.
    max_inline_wait: float = 30.0
    rng: random.Random = field(default_factory=random.Random)
