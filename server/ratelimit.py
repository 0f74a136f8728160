"""Cost-based rate limiting: one token bucket per client, kept in Redis.

Every operation draws its query cost (at least 1) from its client's bucket before it
runs: per API key when the request carries a valid one, otherwise per client IP. The
bucket refills continuously and holds at most `burst` tokens. One Lua script reads,
refills and charges atomically on Redis's clock, so every API process shares the same
budget. WebSocket subscriptions draw from the same buckets (at connection and at each
subscribe).

A Redis that cannot be reached lets requests through (logged): rate limiting protects
the service, it must not be what takes it down.
"""

from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from server.settings import Settings

logger = logging.getLogger("server.ratelimit")

# KEYS[1] bucket; ARGV: burst, refill per second, cost. Returns
# {allowed 0/1, tokens left (floored), ms until `cost` would fit, ms until full}.
_BUCKET_SCRIPT = """
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local allowed = 0
local wait = 0
if cost <= tokens then
  tokens = tokens - cost
  allowed = 1
else
  wait = math.ceil((math.min(cost, burst) - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
local full = math.ceil((burst - tokens) * 1000 / rate)
redis.call('PEXPIRE', KEYS[1], full + 1000)
return {allowed, math.floor(tokens), wait, full}
"""


@dataclass(frozen=True, slots=True)
class Budget:
    burst: int
    per_second: float


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    retry_after_s: int
    reset_s: int

    def headers(self) -> dict[str, str]:
        """RateLimit-* (IETF draft) and, when refused, Retry-After."""
        headers = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_s),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after_s)
        return headers


@dataclass(frozen=True, slots=True)
class Client:
    """Whose bucket an operation draws from."""

    bucket: str
    budget: Budget


class RateLimiter:
    def __init__(self, redis: Redis, settings: Settings) -> None:
        self.redis = redis
        self.prefix = f"{settings.redis_namespace}:ratelimit"
        self.enabled = settings.rate_limit_enabled
        self.anonymous = Budget(
            settings.rate_limit_anonymous_burst, settings.rate_limit_anonymous_per_s
        )
        self.keyed = Budget(settings.rate_limit_key_burst, settings.rate_limit_key_per_s)
        self._script = redis.register_script(_BUCKET_SCRIPT)

    def client(self, *, identity: str | None, ip: str | None) -> Client:
        """A verified credential's bucket, else the IP's (unverified credentials must not
        open fresh buckets: rotating made-up keys would escape the IP's limit)."""
        if identity is not None:
            digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
            return Client(f"{self.prefix}:key:{digest}", self.keyed)
        return Client(f"{self.prefix}:ip:{ip or 'unknown'}", self.anonymous)

    async def charge(self, client: Client, cost: int) -> Decision | None:
        """Draws `cost` tokens; None when disabled or Redis is unreachable."""
        if not self.enabled:
            return None
        budget = client.budget
        try:
            allowed, remaining, wait_ms, full_ms = await self._script(
                keys=[client.bucket],
                # A cost above the burst is charged as the burst: it runs on a full bucket.
                args=[budget.burst, budget.per_second, max(1, min(cost, budget.burst))],
            )
        except (RedisError, OSError) as error:
            logger.warning("rate limiting skipped, Redis unavailable: %r", error)
            return None
        return Decision(
            allowed=bool(allowed),
            limit=budget.burst,
            remaining=int(remaining),
            retry_after_s=max(1, math.ceil(int(wait_ms) / 1000)),
            reset_s=math.ceil(int(full_ms) / 1000),
        )


@dataclass(slots=True)
class RateLimitSlot:
    """Carried in the request's context: who pays, and what the last charge decided."""

    limiter: RateLimiter
    client: Client
    decision: Decision | None = None

    async def charge(self, cost: int) -> Decision | None:
        self.decision = await self.limiter.charge(self.client, cost)
        return self.decision


class _RateLimitedContext(Protocol):
    rate_limit: RateLimitSlot | None
    connection_params: dict[str, object] | None


async def connection_allowed(
    context: _RateLimitedContext, identity: str | None, limiter: RateLimiter
) -> bool:
    """At WebSocket `connection_init`: moves a connection that presented a verified
    credential to its bucket, then draws one token for the connection itself. Subscriptions
    then draw their cost at subscribe time (`server.graphql.limits`), from the same bucket.
    """
    slot = context.rate_limit
    if slot is None:
        return True
    if identity is not None:
        slot.client = limiter.client(identity=identity, ip=None)
    decision = await slot.charge(1)
    return decision is None or decision.allowed
