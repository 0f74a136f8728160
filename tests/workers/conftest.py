"""Worker fixtures: the job context on the real test database and Redis, namespaced."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from server.settings import Settings
from tests.conftest import settings_for
from tests.redis_keys import drop_keys
from workers.context import Services, services_of
from workers.runner import job_context
from workers.sources.etiquette import CircuitBreaker, Etiquette, TokenBucket

RECORDINGS = Path(__file__).resolve().parent / "recordings"


def recording(name: str) -> bytes:
    return (RECORDINGS / name).read_bytes()


@pytest.fixture
def namespace() -> str:
    return f"test:{uuid.uuid4().hex}"


@pytest.fixture
def worker_settings(database_url: str, redis_url: str, namespace: str) -> Settings:
    return settings_for(
        database_url,
        redis_url,
        redis_namespace=namespace,
        worker_queue_name=f"{namespace}:queue",
        demo_backfill_days=20,
    )


@pytest.fixture
async def clean_tables(engine: AsyncEngine, redis_url: str, namespace: str) -> AsyncIterator[None]:
    """Empties what the ingest tests write, before and after; drops the test's Redis keys."""
    statement = text(
        "TRUNCATE minifigures, price_listings, price_snapshots, sync_runs, event_outbox, "
        "catalog_crosswalk, minifigure_merges, raw_observations CASCADE"
    )
    async with engine.begin() as connection:
        await connection.execute(statement)
    yield
    async with engine.begin() as connection:
        await connection.execute(statement)
    # ARQ's job and result keys are global ("arq:job:<id>"); our job ids carry the namespace.
    await drop_keys(redis_url, f"{namespace}*", f"arq:*{namespace}*")


Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture
async def make_ctx(
    worker_settings: Settings, clean_tables: None
) -> AsyncIterator[Callable[..., Any]]:
    """Opens a job context (optionally with a fake marketplace transport)."""
    stack: list[Any] = []

    async def opener(handler: Handler | None = None, **settings: Any) -> dict[str, Any]:
        chosen = worker_settings.model_copy(update=settings) if settings else worker_settings
        extra = {"http_transport": httpx.MockTransport(handler)} if handler else {}
        manager = job_context(chosen, **extra)
        ctx = await manager.__aenter__()
        stack.append(manager)
        return ctx

    yield opener
    for manager in reversed(stack):
        await manager.__aexit__(None, None, None)


@pytest.fixture
async def ctx(make_ctx: Callable[..., Any]) -> dict[str, Any]:
    context: dict[str, Any] = await make_ctx()
    return context


@pytest.fixture
def services(ctx: dict[str, Any]) -> Services:
    return services_of(ctx)


@pytest.fixture
async def db(services: Services) -> AsyncIterator[AsyncSession]:
    async with services.session_factory() as session:
        yield session


class RecordedSleeps(list[float]):
    """Stands in for asyncio.sleep: remembers the waits instead of waiting."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


def polite(source: str, sleeps: RecordedSleeps, services: Services, **options: Any) -> Etiquette:
    """Etiquette with a generous bucket, no quota, and recorded sleeps (state in the
    test's Redis namespace)."""
    namespace = services.settings.redis_namespace
    return Etiquette(
        bucket=TokenBucket(
            services.redis, f"{namespace}:bucket:{source}", rate=1000, capacity=1000, sleep=sleeps
        ),
        breaker=CircuitBreaker(services.redis, f"{namespace}:breaker:{source}", source),
        sleep=sleeps,
        **options,
    )
