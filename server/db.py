"""The engine, the session factory and the declarative base."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase

from server.settings import Settings

# Deterministic constraint names keep Alembic migrations and downgrades stable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def async_url(url: str) -> str:
    """Accept the usual `postgres://` / `postgresql://` spellings and select asyncpg."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url.removeprefix(prefix)
    raise ValueError("DATABASE_URL must be a postgresql:// URL")


def database_url(settings: Settings) -> str:
    if settings.database_url is None:
        raise RuntimeError("no database configured: start the embedded one or set DATABASE_URL")
    return async_url(settings.database_url.get_secret_value())


def create_engine(settings: Settings) -> AsyncEngine:
    return create_async_engine(
        database_url(settings),
        pool_size=settings.db_pool_size,
        # No ping per checkout: it cost a round trip (and a BEGIN/ROLLBACK) for every
        # statement. A connection the server dropped fails its statement instead, the
        # pool discards it, and the request reports a masked error.
        pool_pre_ping=False,
        connect_args={
            # Client-side bounds: a frozen server fails the call instead of hanging it
            # (statement_timeout below only helps while the server still runs).
            "timeout": settings.db_connect_timeout_s,
            "command_timeout": settings.statement_timeout_ms / 1000 + settings.db_connect_timeout_s,
            "server_settings": {
                "statement_timeout": str(settings.statement_timeout_ms),
                "application_name": "stonks",
                # Plan every run of a prepared statement with its values: on a hypertable
                # only then are the chunks outside a time bound left out at planning (a
                # generic plan opens and locks them all, hundreds after a few years).
                "plan_cache_mode": "force_custom_plan",
            },
        },
    )


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def read_session(
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """A session for reads: autocommit, so a statement costs one round trip, no BEGIN
    and ROLLBACK around it. Never write through it: nothing would be atomic."""
    async with session_factory() as session:
        await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        yield session
