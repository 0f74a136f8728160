"""Probes of the servers the product depends on, shared by GraphQL and /healthz."""

from __future__ import annotations

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


async def check_health(
    session_factory: async_sessionmaker[AsyncSession], redis: Redis
) -> HealthReport:
    try:
        async with session_factory() as session:
            timescaledb = bool(await session.scalar(_TIMESCALEDB_INSTALLED))
        database = True
    except (SQLAlchemyError, OSError):
        database = timescaledb = False
    try:
        redis_ok = bool(await redis.ping())
    except (RedisError, OSError):
        redis_ok = False
    return HealthReport(database=database, redis=redis_ok, timescaledb=timescaledb)
