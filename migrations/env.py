"""Alembic environment: async engine, URL from the caller or from the settings."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

import server.models  # noqa: F401  (registers every table on Base.metadata)
from server.db import Base, async_url, database_url
from server.settings import Settings

target_metadata = Base.metadata


def _url() -> str:
    given = context.config.attributes.get("database_url")
    if isinstance(given, str):
        return async_url(given)
    return database_url(Settings())


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    engine = create_async_engine(_url(), poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())
