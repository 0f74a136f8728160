"""Jobs that keep the worker's view of its database honest."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from workers.context import session_factory_of


async def check_database(ctx: dict[str, Any]) -> str:
    """Round-trips to PostgreSQL; returns the server version the worker is talking to."""
    async with session_factory_of(ctx)() as session:
        version = await session.scalar(text("SHOW server_version"))
    return str(version)
