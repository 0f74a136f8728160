"""The ARQ worker context: resources opened in on_startup, closed in on_shutdown."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from server.db import create_engine, create_session_factory
from server.settings import Settings


async def open_resources(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx["settings"]
    engine = create_engine(settings)
    ctx["engine"] = engine
    ctx["session_factory"] = create_session_factory(engine)


async def close_resources(ctx: dict[str, Any]) -> None:
    engine: AsyncEngine = ctx["engine"]
    await engine.dispose()


def session_factory_of(ctx: dict[str, Any]) -> async_sessionmaker[AsyncSession]:
    factory: async_sessionmaker[AsyncSession] = ctx["session_factory"]
    return factory
