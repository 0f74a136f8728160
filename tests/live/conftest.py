"""Fixtures of the live tests: API processes on the test database and Redis, a publisher."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from server.events import EventBus, PriceTick
from server.store.catalog import upsert_minifigures
from tests.factories import catalog_entry
from tests.live.servers import ApiProcess, api_process

ADMIN_KEY = "live-tests-admin-key-0123456789abcdef"


@dataclass(frozen=True)
class Figure:
    id: str
    fig_num: str
    theme: str


@pytest.fixture(scope="module")
def namespace() -> str:
    return f"test:{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def api(database_url: str, redis_url: str, namespace: str) -> Iterator[ApiProcess]:
    with api_process(
        database_url,
        redis_url,
        namespace,
        admin_api_key=ADMIN_KEY,
        live_connection_init_timeout_s="1",
        live_subscriptions_per_connection="3",
    ) as process:
        yield process


@pytest.fixture(scope="module")
async def bus(redis_url: str, namespace: str) -> AsyncIterator[EventBus]:
    redis = Redis.from_url(redis_url)
    bus = EventBus(redis, namespace=namespace, log_length=10_000)
    yield bus
    await redis.delete(bus.log_key)
    await redis.aclose()


@pytest.fixture
async def figures(committed: AsyncSession) -> dict[str, Figure]:
    entries = [
        catalog_entry("sw0001a", theme="Star Wars"),
        catalog_entry("sw0002", name="Darth Vader", theme="Star Wars"),
        catalog_entry("sh0001", name="Batman", theme="Super Heroes"),
    ]
    ids = await upsert_minifigures(committed, entries)
    await committed.commit()
    return {e.fig_num: Figure(str(ids[e.fig_num]), e.fig_num, e.theme or "") for e in entries}


def tick(
    figure: Figure,
    listing_id: int,
    *,
    kind: str = "SOLD",
    condition: str = "USED",
    price: str = "12.50",
) -> PriceTick:
    return PriceTick(
        listing_id=listing_id,
        minifigure_id=figure.id,
        fig_num=figure.fig_num,
        theme=figure.theme,
        source="bricklink",
        kind=kind,
        condition=condition,
        price_usd=Decimal(price),
        quantity=1,
        observed_at=datetime(2026, 11, 1, 12, tzinfo=UTC),
        excluded_reason=None,
    )
