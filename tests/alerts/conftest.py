"""Alerts' fixtures: worker services on their own namespace, accounts, rules, an ingest."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from server.models import AlertRule
from server.store.accounts import create_account
from server.store.alert_rules import add_rule
from tests.collectors.conftest import (
    app,  # noqa: F401 (a fixture: the collectors' app)
    brickset,  # noqa: F401 (a fixture)
    client,  # noqa: F401 (a fixture)
    gql,  # noqa: F401 (a fixture)
)
from tests.conftest import settings_for
from tests.redis_keys import drop_keys
from workers.context import Services, services_of
from workers.pipeline.observation import Observation
from workers.pipeline.run import RunSummary, run_ingest
from workers.runner import job_context
from workers.sources import demo


@pytest.fixture(scope="module")
def namespace() -> str:
    return f"test:{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
async def services(
    database_url: str, redis_url: str, namespace: str, engine: AsyncEngine
) -> AsyncIterator[Services]:
    settings = settings_for(
        database_url,
        redis_url,
        redis_namespace=namespace,
        worker_queue_name=f"{namespace}:q",
        alert_webhook_allow_private=True,
        alert_webhook_retry_s=0.2,
        alert_webhook_max_tries=3,
    )
    async with job_context(settings) as ctx:
        yield services_of(ctx)
    await drop_keys(redis_url, f"{namespace}*", f"arq:*{namespace}*")
    async with engine.begin() as connection:
        await connection.execute(text("DELETE FROM sync_runs"))
        await connection.execute(text("DELETE FROM accounts WHERE email LIKE 'alerts-%'"))


async def new_account(session: AsyncSession) -> uuid.UUID:
    account = await create_account(
        session, email=f"alerts-{uuid.uuid4().hex[:12]}@example.com", password_hash="x"
    )
    return account.id


@dataclass(frozen=True)
class Price:
    fig_num: str
    price: str
    at: datetime
    kind: str = "SOLD"
    condition: str = "USED"


def observation(price: Price) -> Observation:
    return Observation(
        source=demo.SOURCE,
        external_id=f"alert-{price.fig_num}-{price.kind}-{price.at:%Y%m%dT%H%M%S%f}",
        fig_num=price.fig_num,
        observed_at=price.at,
        kind=price.kind,
        condition=price.condition,
        price=Decimal(price.price),
        currency="USD",
        title=f"LEGO minifigure {price.fig_num}",
    )


async def ingest(services: Services, prices: Sequence[Price]) -> RunSummary:
    """Stores the prices through the workers' own pipeline, as a live tick."""

    async def fetch() -> list[Observation]:
        return [observation(p) for p in prices]

    return await run_ingest(services, source=demo.SOURCE, kind="tick", fetch=fetch)


async def rule(
    session: AsyncSession, owner: uuid.UUID, minifigure_id: uuid.UUID, **values: Any
) -> AlertRule:
    defaults: dict[str, Any] = {
        "condition": "USED",
        "kind": "SOLD",
        "webhook_secret": "whsec_test",
    }
    created = await add_rule(session, owner, defaults | {"minifigure_id": minifigure_id} | values)
    await session.commit()
    return created


FIRINGS = text(
    "SELECT a.id, e.price_usd, e.change_pct, e.reference_usd FROM alert_events e "
    "JOIN alert_rules a ON a.id = e.alert_id WHERE a.account_id = :owner ORDER BY e.id"
)


async def firings(session: AsyncSession, owner: uuid.UUID) -> list[tuple[Any, ...]]:
    result = await session.execute(FIRINGS, {"owner": owner})
    return [tuple(row) for row in result]
