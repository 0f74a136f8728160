"""The Redis client factory shared by the API and the worker.

Every client gets connect and reply timeouts: a frozen Redis (SIGSTOP, a dead host
behind a live route) fails a call after REDIS_TIMEOUT_S instead of hanging it.
"""

from __future__ import annotations

from redis.asyncio import Redis

from server.settings import Settings

# A pooled connection idle this long is pinged before reuse (it may predate a Redis restart).
_IDLE_CHECK_S = 30


def create_redis(settings: Settings) -> Redis:
    if settings.redis_url is None:
        raise RuntimeError("no Redis configured: start the embedded one or set REDIS_URL")
    client: Redis = Redis.from_url(
        settings.redis_url.get_secret_value(),
        socket_connect_timeout=settings.redis_timeout_s,
        socket_timeout=settings.redis_timeout_s,
        health_check_interval=_IDLE_CHECK_S,
    )
    return client
