"""Probes of the servers the product depends on, shared by GraphQL and /healthz.

Each probe is bounded by HEALTH_TIMEOUT_S: a frozen server is reported down, not waited for.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

_TIMESCALEDB_INSTALLED = text("SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'")


@dataclass(frozen=True, slots=True)
class HealthReport:
    database: bool
    redis: bool
    timescaledb: bool

    @property
    def ok(self) -> bool:
        return self.database and self.redis


async def _database_probe(
    session_factory: async_sessionmaker[AsyncSession], timeout_s: float
) -> tuple[bool, bool]:
    """(answers, has TimescaleDB)."""
    try:
        async with asyncio.timeout(timeout_s), session_factory() as session:
            return True, bool(await session.scalar(_TIMESCALEDB_INSTALLED))
    except (SQLAlchemyError, OSError, TimeoutError):
        return False, False


async def _redis_probe(redis: Redis, timeout_s: float) -> bool:
    try:
        async with asyncio.timeout(timeout_s):
            return bool(await redis.ping())
    except (RedisError, OSError, TimeoutError):
        return False


async def check_health(
    session_factory: async_sessionmaker[AsyncSession], redis: Redis, *, timeout_s: float
) -> HealthReport:
    (database, timescaledb), redis_ok = await asyncio.gather(
        _database_probe(session_factory, timeout_s), _redis_probe(redis, timeout_s)
    )
    return HealthReport(database=database, redis=redis_ok, timescaledb=timescaledb)
