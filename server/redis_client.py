"""The Redis client factory shared by the API and the worker."""

from __future__ import annotations

from redis.asyncio import Redis

from server.settings import Settings


def create_redis(settings: Settings) -> Redis:
    if settings.redis_url is None:
        raise RuntimeError("no Redis configured: start the embedded one or set REDIS_URL")
    client: Redis = Redis.from_url(settings.redis_url.get_secret_value())
    return client
