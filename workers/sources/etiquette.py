"""Being a good API citizen: a token bucket, a daily quota, a circuit breaker, backoff.

The token bucket, the breaker and the daily quota all keep their state in Redis, per
source, so that every worker process (and a restarted one) shares one budget: three
workers together send `requests_per_minute`, not three times it. The bucket and the
breaker change their state in Lua scripts, atomically; times come from the workers'
wall clock (`clock`), which an NTP-synced host keeps consistent across processes.
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


# Takes one token if there is one; else returns the seconds until there will be.
_TAKE_ONE_LUA = """
local rate, capacity, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens'))
local updated = tonumber(redis.call('HGET', KEYS[1], 'updated'))
if tokens == nil or updated == nil then tokens = capacity; updated = now end
if now > updated then
  tokens = math.min(capacity, tokens + (now - updated) * rate)
  updated = now
end
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(updated))
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 60)
return tostring(wait)
"""


@dataclass(slots=True)
class TokenBucket:
    """`rate` tokens per second, bursts up to `capacity`, shared under `key` in Redis."""

    redis: Redis
    key: str
    rate: float
    capacity: float
    clock: Clock = time.time
    sleep: Sleep = asyncio.sleep

    async def acquire(self) -> None:
        take = self.redis.register_script(_TAKE_ONE_LUA)
        while True:
            wait = float(await take(keys=[self.key], args=[self.rate, self.capacity, self.clock()]))
            if wait <= 0:
                return
            await self.sleep(wait)


# Closed: '-1'. Open: the seconds left. After the cooldown the first caller takes the
# half-open trial: one more failure re-opens the breaker at once.
_CHECK_BREAKER_LUA = """
local now, cooldown, threshold = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local opened = tonumber(redis.call('HGET', KEYS[1], 'opened_at'))
if opened == nil then return '-1' end
local remaining = opened + cooldown - now
if remaining > 0 then return tostring(remaining) end
redis.call('HDEL', KEYS[1], 'opened_at')
redis.call('HSET', KEYS[1], 'failures', threshold - 1)
return '-1'
"""
_RECORD_FAILURE_LUA = """
local now, cooldown, threshold = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
if failures >= threshold and redis.call('HEXISTS', KEYS[1], 'opened_at') == 0 then
  redis.call('HSET', KEYS[1], 'opened_at', tostring(now))
end
redis.call('EXPIRE', KEYS[1], math.ceil(cooldown) + 3600)
return failures
"""


@dataclass(slots=True)
class CircuitBreaker:
    """Opens after `threshold` consecutive failures (of any worker); after `cooldown` s
    lets one trial through. State under `key` in Redis."""

    redis: Redis
    key: str
    source: str
    threshold: int = 5
    cooldown: float = 60.0
    clock: Clock = time.time

    def _args(self) -> list[float]:
        return [self.clock(), self.cooldown, self.threshold]

    async def check(self) -> None:
        check = self.redis.register_script(_CHECK_BREAKER_LUA)
        remaining = float(await check(keys=[self.key], args=self._args()))
        metrics.SOURCE_BREAKER_OPEN.labels(self.source).set(1 if remaining > 0 else 0)
        if remaining > 0:
            raise CircuitOpenError(
                self.source, f"circuit open after {self.threshold} failures", remaining
            )

    async def record_success(self) -> None:
        await self.redis.delete(self.key)
        metrics.SOURCE_BREAKER_OPEN.labels(self.source).set(0)

    async def record_failure(self) -> None:
        record = self.redis.register_script(_RECORD_FAILURE_LUA)
        await record(keys=[self.key], args=self._args())


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
