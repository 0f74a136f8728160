"""Webhook deliveries by a real ARQ worker to a real local receiver: the signature, the
retries and their log, and targets refused at delivery time."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.settings import Settings
from tests.alerts.conftest import Price, ingest, new_account, rule
from tests.alerts.receiver import Receiver, receiver
from tests.graphql.market_data import add_figures
from workers.context import Services
from workers.settings import create_worker

SECRET = "whsec_receiver-test-secret"
LOG = text(
    "SELECT d.attempt, d.status_code, d.error IS NOT NULL, e.webhook_status "
    "FROM webhook_deliveries d JOIN alert_events e ON e.id = d.alert_event_id "
    "WHERE d.alert_id = :alert ORDER BY d.attempt"
)


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as state:
        yield state


async def _worker_runs(settings: Settings) -> None:
    """A burst worker on the alerts' queue: runs what is queued (deferred retries too)."""
    worker = create_worker(settings, burst=True, handle_signals=False)
    try:
        await worker.async_run()
    finally:
        await worker.close()


async def _crossing(
    services: Services, committed: AsyncSession, fig_num: str, url: str
) -> uuid.UUID:
    ids = await add_figures(committed, {"fig_num": fig_num})
    owner = await new_account(committed)
    watched = await rule(
        committed,
        owner,
        ids[fig_num],
        direction="BELOW",
        price=Decimal(20),
        currency="USD",
        webhook_url=url,
        webhook_secret=SECRET,
    )
    await ingest(services, [Price(fig_num, "18.50", datetime.now(UTC) - timedelta(minutes=1))])
    return watched.id


async def _log(committed: AsyncSession, alert_id: uuid.UUID) -> list[tuple[object, ...]]:
    return [tuple(row) for row in await committed.execute(LOG, {"alert": alert_id})]


async def test_the_receiver_gets_one_correctly_signed_post(
    services: Services, committed: AsyncSession, hook: Receiver
) -> None:
    alert_id = await _crossing(services, committed, "hook01", hook.url)
    await _worker_runs(services.settings)

    (post,) = hook.received
    assert post.path == "/hooks/stonks"
    assert post.headers["content-type"] == "application/json"
    assert post.signed_with(SECRET)
    assert not post.signed_with("whsec_another-secret")
    body = json.loads(post.body)
    assert body["type"] == "alert.triggered"
    assert body["alertId"] == str(alert_id)
    assert body["minifigure"]["figNum"] == "hook01"
    assert (body["priceUsd"], body["rule"]["direction"], body["rule"]["price"]) == (
        "18.50",
        "BELOW",
        "20.00",
    )
    assert post.headers["x-stonks-delivery"] == str(body["alertEventId"])
    assert await _log(committed, alert_id) == [(1, 200, False, "DELIVERED")]


async def test_failed_posts_are_retried_with_each_attempt_logged(
    services: Services, committed: AsyncSession, hook: Receiver
) -> None:
    hook.statuses = [500, 503]
    alert_id = await _crossing(services, committed, "hook02", hook.url)
    await _worker_runs(services.settings)

    assert len(hook.received) == 3
    assert all(post.signed_with(SECRET) for post in hook.received)
    assert len({post.body for post in hook.received}) == 1
    assert await _log(committed, alert_id) == [
        (1, 500, True, "DELIVERED"),
        (2, 503, True, "DELIVERED"),
        (3, 200, False, "DELIVERED"),
    ]


async def test_a_receiver_that_keeps_failing_ends_failed_after_the_last_try(
    services: Services, committed: AsyncSession, hook: Receiver
) -> None:
    hook.statuses = [500] * 10
    alert_id = await _crossing(services, committed, "hook03", hook.url)
    await _worker_runs(services.settings)

    assert services.settings.alert_webhook_max_tries == 3
    assert len(hook.received) == 3
    assert [row[1:] for row in await _log(committed, alert_id)] == [(500, True, "FAILED")] * 3


async def test_a_private_target_is_refused_at_delivery_without_a_post(
    services: Services, committed: AsyncSession, hook: Receiver
) -> None:
    # Accepted while private targets were allowed; this worker's settings refuse them.
    alert_id = await _crossing(services, committed, "hook04", hook.url)
    strict = services.settings.model_copy(update={"alert_webhook_allow_private": False})
    await _worker_runs(strict)

    assert hook.received == []
    (row,) = await committed.execute(
        text("SELECT status_code, error, attempt FROM webhook_deliveries WHERE alert_id = :a"),
        {"a": alert_id},
    )
    assert row.status_code is None
    assert row.attempt == 1
    assert "127.0.0.1" in row.error
    assert "refused" in row.error
    assert (await _log(committed, alert_id))[0][3] == "FAILED"
