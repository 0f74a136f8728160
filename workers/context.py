"""The ARQ worker context: resources opened in on_startup, closed in on_shutdown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from server.db import create_engine, create_session_factory
from server.events import EventBus
from server.redis_client import create_redis
from server.settings import Settings

HTTP_TIMEOUT_S = 30.0


@dataclass(frozen=True, slots=True)
class Services:
    """What jobs use: the database, the event bus and the settings (credentials inside)."""

    settings: Settings
    session_factory: async_sessionmaker[AsyncSession]
    redis: Redis
    bus: EventBus


def open_services(settings: Settings, engine: AsyncEngine) -> Services:
    redis = create_redis(settings)
    return Services(
        settings=settings,
        session_factory=create_session_factory(engine),
        redis=redis,
        bus=EventBus(redis, namespace=settings.redis_namespace),
    )


async def open_resources(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx["settings"]
    engine = create_engine(settings)
    services = open_services(settings, engine)
    ctx["engine"] = engine
    ctx["session_factory"] = services.session_factory
    ctx["services"] = services
    # Tests pass a MockTransport in ctx; marketplaces are the only faked parts.
    ctx["http"] = httpx.AsyncClient(
        transport=ctx.get("http_transport"), timeout=HTTP_TIMEOUT_S, follow_redirects=True
    )


async def close_resources(ctx: dict[str, Any]) -> None:
    engine: AsyncEngine = ctx["engine"]
    services: Services = ctx["services"]
    http: httpx.AsyncClient = ctx["http"]
    await http.aclose()
    await services.redis.aclose()
    await engine.dispose()


def session_factory_of(ctx: dict[str, Any]) -> async_sessionmaker[AsyncSession]:
    factory: async_sessionmaker[AsyncSession] = ctx["session_factory"]
    return factory


def services_of(ctx: dict[str, Any]) -> Services:
    services: Services = ctx["services"]
    return services


def http_of(ctx: dict[str, Any]) -> httpx.AsyncClient:
    client: httpx.AsyncClient = ctx["http"]
    return client
