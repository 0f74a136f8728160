"""Creating and dropping scratch databases on the test server."""

from __future__ import annotations

import uuid

import asyncpg
from sqlalchemy.engine import make_url


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


async def execute(url: str, *statements: str) -> None:
    connection = await asyncpg.connect(_asyncpg_dsn(url))
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


async def fetch_value(url: str, query: str) -> object:
    connection = await asyncpg.connect(_asyncpg_dsn(url))
    try:
        return await connection.fetchval(query)
    finally:
        await connection.close()


async def create_database(admin_url: str, prefix: str = "stonks_test") -> str:
    """Creates an empty database with a unique name; returns its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    await execute(admin_url, f'CREATE DATABASE "{name}"')
    return with_database(admin_url, name)


async def drop_database(admin_url: str, database_url: str) -> None:
    name = make_url(database_url).database
    await execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
