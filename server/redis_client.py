"""The Redis client factory shared by the API and the worker.

Every client gets connect and reply timeouts: a frozen Redis (SIGSTOP, a dead host
behind a live route) fails a call after REDIS_TIMEOUT_S instead of hanging it.
"""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis

from server.settings import Settings

# A pooled connection idle this long is pinged before reuse (it may predate a Redis restart).
_IDLE_CHECK_S = 30


def redis_url(settings: Settings) -> str:
    if settings.redis_url is None:
        raise RuntimeError("no Redis configured: start the embedded one or set REDIS_URL")
    return settings.redis_url.get_secret_value()


def redis_options(settings: Settings) -> dict[str, Any]:
    """Connection keywords for redis-py clients (ARQ's pool is one too)."""
    return {
        "socket_connect_timeout": settings.redis_timeout_s,
        "socket_timeout": settings.redis_timeout_s,
        "health_check_interval": _IDLE_CHECK_S,
    }


def create_redis(settings: Settings) -> Redis:
    client: Redis = Redis.from_url(redis_url(settings), **redis_options(settings))
    return client
