"""Webhook delivery attempts: what a delivery job needs, and the log it writes."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import AlertEvent, AlertRule, Minifigure, WebhookDelivery, WebhookStatus


@dataclass(frozen=True, slots=True)
class DeliveryTarget:
    event: AlertEvent
    rule: AlertRule
    minifigure: Minifigure
    attempts_made: int


async def delivery_target(session: AsyncSession, alert_event_id: int) -> DeliveryTarget | None:
    """The event, its rule and figure, and how many attempts were logged already."""
    attempts = (
        select(func.count())
        .where(WebhookDelivery.alert_event_id == AlertEvent.id)
        .correlate(AlertEvent)
        .scalar_subquery()
    )
    result = await session.execute(
        select(AlertEvent, AlertRule, Minifigure, attempts)
        .join(AlertRule, AlertRule.id == AlertEvent.alert_id)
        .join(Minifigure, Minifigure.id == AlertEvent.minifigure_id)
        .where(AlertEvent.id == alert_event_id)
    )
    row = result.first()
    return None if row is None else DeliveryTarget(row[0], row[1], row[2], row[3])


async def record_attempt(
    session: AsyncSession,
    event: AlertEvent,
    *,
    attempt: int,
    url: str,
    status_code: int | None,
    error: str | None,
    outcome: WebhookStatus,
) -> None:
    """Logs one attempt and the event's status after it."""
    await session.execute(
        insert(WebhookDelivery)
        .values(
            alert_event_id=event.id,
            alert_id=event.alert_id,
            attempt=attempt,
            url=url,
            status_code=status_code,
            error=error,
        )
        .on_conflict_do_nothing(constraint="uq_webhook_deliveries_attempt")
    )
    await session.execute(
        update(AlertEvent).where(AlertEvent.id == event.id).values(webhook_status=outcome.value)
    )


_RECENT_DELIVERIES = text(
    """
    SELECT d.*
    FROM unnest(CAST(:ids AS uuid[])) AS r(alert_id)
    CROSS JOIN LATERAL (
        SELECT * FROM webhook_deliveries w
        WHERE w.alert_id = r.alert_id
        ORDER BY w.id DESC
        LIMIT :limit
    ) d
    """
)


async def recent_deliveries(
    session: AsyncSession, alert_ids: Sequence[uuid.UUID], limit: int
) -> dict[uuid.UUID, list[WebhookDelivery]]:
    """The newest `limit` attempts of each alert, newest first, in one statement."""
    found: dict[uuid.UUID, list[WebhookDelivery]] = defaultdict(list)
    if not alert_ids:
        return found
    result = await session.execute(
        select(WebhookDelivery).from_statement(_RECENT_DELIVERIES),
        {"ids": list(alert_ids), "limit": limit},
    )
    for delivery in result.scalars():
        found[delivery.alert_id].append(delivery)
    return found
