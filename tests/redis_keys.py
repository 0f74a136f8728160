"""Removing what a test or benchmark wrote to a shared Redis: every key matching its patterns."""

from __future__ import annotations

from redis.asyncio import Redis


async def drop_keys(redis_url: str, *patterns: str) -> None:
    redis = Redis.from_url(redis_url)
    try:
        keys = [key for pattern in patterns async for key in redis.scan_iter(pattern)]
        if keys:
            await redis.delete(*keys)
    finally:
        await redis.aclose()
