"""Alert rules evaluated on a stored batch, inside its transaction.

The firings are stored with the listings that caused them, so they commit or roll back
together: a worker killed before the commit leaves nothing, and its retry fires afresh;
after the commit the listings exist, are not inserted again, and so fire nothing again.
(alert, listing) is unique besides, so no path can store a firing twice. Rules are locked
while their armed state is read and written, so concurrent batches take turns.

Webhook deliveries are enqueued before the commit, deferred; a delivery job that runs
before its event is committed (or finds it rolled back) tries again later, then gives up.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

from arq.connections import ArqRedis
from sqlalchemy.ext.asyncio import AsyncSession

from server.alerts.crossing import Reading, Trigger, level_reading, move_reading
from server.events import AlertTriggered, PriceTick
from server.models import AlertEvent, AlertRule, WebhookStatus
from server.store.alert_events import (
    WindowKey,
    rules_watching,
    set_armed,
    store_firings,
    window_medians,
)
from workers.context import Services
from workers.pipeline.normalize import rates_for, utc_day

DELIVER_WEBHOOK_JOB = "deliver_alert_webhook"
# Lets the ingest transaction commit before the delivery job first looks for its event.
WEBHOOK_FIRST_DEFER_S = 1.0


def webhook_job_id(namespace: str, alert_event_id: int) -> str:
    return f"{namespace}:alert-webhook:{alert_event_id}"


async def fire_alerts(
    services: Services, session: AsyncSession, ticks: Sequence[PriceTick]
) -> list[AlertTriggered]:
    """Stores the firings of this batch's counted prices; returns their events to stage."""
    counted = sorted(
        (t for t in ticks if t.excluded_reason is None), key=lambda t: (t.observed_at, t.listing_id)
    )
    rules = await rules_watching(session, {uuid.UUID(t.minifigure_id) for t in counted})
    if not rules:
        return []
    watching: dict[tuple[str, str, str], list[AlertRule]] = defaultdict(list)
    for rule in rules:
        watching[(str(rule.minifigure_id), rule.condition, rule.kind)].append(rule)
    pairs = [
        (tick, rule)
        for tick in counted
        for rule in watching.get((tick.minifigure_id, tick.condition, tick.kind), [])
    ]
    readings = await _readings(session, pairs)
    triggers = {rule.id: Trigger(rule.armed) for rule in rules}
    firings = [
        _firing(tick, rule, reading)
        for (tick, rule), reading in zip(pairs, readings, strict=True)
        if reading is not None and triggers[rule.id].fires(reading)
    ]
    await set_armed(
        session,
        {
            rule.id: triggers[rule.id].armed
            for rule in rules
            if triggers[rule.id].armed != rule.armed
        },
    )
    stored = await store_firings(session, firings)
    await _enqueue_webhooks(
        services, [e.id for e in stored if e.webhook_status == WebhookStatus.PENDING]
    )
    return [_event(e) for e in stored]


async def _readings(
    session: AsyncSession, pairs: Sequence[tuple[PriceTick, AlertRule]]
) -> list[Reading | None]:
    """Each pair's reading; None when it cannot be judged (no rate, an empty window)."""
    rates = await rates_for(
        session,
        {
            (rule.currency, utc_day(tick.observed_at))
            for tick, rule in pairs
            if rule.currency is not None
        },
    )
    moves = [(tick, rule) for tick, rule in pairs if rule.window_days is not None]
    medians = await window_medians(
        session,
        [
            WindowKey(
                rule.minifigure_id,
                rule.condition,
                rule.kind,
                tick.observed_at - timedelta(days=rule.window_days or 0),
                tick.observed_at,
            )
            for tick, rule in moves
        ],
    )
    reference = {(t.listing_id, r.id): m for (t, r), m in zip(moves, medians, strict=True)}
    readings: list[Reading | None] = []
    for tick, rule in pairs:
        if rule.price is not None and rule.currency is not None:
            rate = rates.get((rule.currency, utc_day(tick.observed_at)))
            readings.append(
                None
                if rate is None
                else level_reading(rule.direction, tick.price_usd, rule.price * rate)
            )
        else:
            median = reference.get((tick.listing_id, rule.id))
            readings.append(
                None
                if not median or rule.change_pct is None
                else move_reading(rule.direction, tick.price_usd, median, rule.change_pct)
            )
    return readings


def _firing(tick: PriceTick, rule: AlertRule, reading: Reading) -> dict[str, Any]:
    return {
        "alert_id": rule.id,
        "account_id": rule.account_id,
        "minifigure_id": rule.minifigure_id,
        "listing_id": tick.listing_id,
        "source": tick.source,
        "kind": tick.kind,
        "condition": tick.condition,
        "price_usd": tick.price_usd,
        "observed_at": tick.observed_at,
        "reference_usd": _cents(reading.reference_usd),
        "change_pct": reading.change_pct,
        "webhook_status": WebhookStatus.PENDING.value if rule.webhook_url else None,
    }


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


def _event(event: AlertEvent) -> AlertTriggered:
    return AlertTriggered(
        alert_event_id=event.id,
        alert_id=str(event.alert_id),
        account_id=str(event.account_id),
        minifigure_id=str(event.minifigure_id),
        source=event.source,
        kind=event.kind,
        condition=event.condition,
        price_usd=event.price_usd,
        observed_at=event.observed_at,
        reference_usd=event.reference_usd,
        change_pct=event.change_pct,
        fired_at=event.fired_at,
        webhook_status=event.webhook_status,
    )


async def _enqueue_webhooks(services: Services, alert_event_ids: Sequence[int]) -> None:
    if not alert_event_ids:
        return
    settings = services.settings
    queue = ArqRedis(
        connection_pool=services.redis.connection_pool,
        default_queue_name=settings.worker_queue_name,
    )
    for alert_event_id in alert_event_ids:
        await queue.enqueue_job(
            DELIVER_WEBHOOK_JOB,
            alert_event_id,
            _job_id=webhook_job_id(settings.redis_namespace, alert_event_id),
            _defer_by=WEBHOOK_FIRST_DEFER_S,
        )
