"""Alert firings: the rules a batch may fire, the window medians moves are measured from,
the firings stored once, and the owner's history of them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import AlertEvent, AlertRule


async def rules_watching(session: AsyncSession, minifigure_ids: set[uuid.UUID]) -> list[AlertRule]:
    """The rules on these minifigures, locked (in id order, so concurrent batches never
    deadlock) until the caller's transaction ends: their armed state is read and written."""
    if not minifigure_ids:
        return []
    result = await session.scalars(
        select(AlertRule)
        .where(AlertRule.minifigure_id.in_(sorted(minifigure_ids)))
        .order_by(AlertRule.id)
        .with_for_update()
    )
    return list(result)


@dataclass(frozen=True, slots=True)
class WindowKey:
    minifigure_id: uuid.UUID
    condition: str
    kind: str
    since: datetime
    until: datetime


_WINDOW_MEDIANS = text(
    """
    SELECT w.n, m.median
    FROM unnest(CAST(:ids AS uuid[]), CAST(:conditions AS text[]), CAST(:kinds AS text[]),
                CAST(:since AS timestamptz[]), CAST(:until AS timestamptz[]))
         WITH ORDINALITY AS w(minifigure_id, condition, kind, since, until, n)
    CROSS JOIN LATERAL (
        SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY l.price_usd) AS median
        FROM price_listings l
        WHERE l.minifigure_id = w.minifigure_id AND l.condition = w.condition
          AND l.kind = w.kind AND l.observed_at >= w.since AND l.observed_at < w.until
          AND l.excluded_reason IS NULL
    ) m
    """
)


async def window_medians(session: AsyncSession, keys: Sequence[WindowKey]) -> list[Decimal | None]:
    """The median counted price of each window (None when it has none), in one statement."""
    if not keys:
        return []
    result = await session.execute(
        _WINDOW_MEDIANS,
        {
            "ids": [k.minifigure_id for k in keys],
            "conditions": [k.condition for k in keys],
            "kinds": [k.kind for k in keys],
            "since": [k.since for k in keys],
            "until": [k.until for k in keys],
        },
    )
    medians: dict[int, Decimal | None] = {}
    for number, median in result:
        medians[number] = None if median is None else Decimal(str(median))
    return [medians.get(n) for n in range(1, len(keys) + 1)]


async def store_firings(
    session: AsyncSession, firings: Sequence[dict[str, Any]]
) -> list[AlertEvent]:
    """Inserts firings; one already stored (same rule, same listing) is skipped."""
    if not firings:
        return []
    statement = (
        insert(AlertEvent)
        .values(list(firings))
        .on_conflict_do_nothing(constraint="uq_alert_events_crossing")
        .returning(AlertEvent)
    )
    result = await session.scalars(statement, execution_options={"populate_existing": True})
    return sorted(result, key=lambda event: event.id)


async def set_armed(session: AsyncSession, armed: dict[uuid.UUID, bool]) -> None:
    for state in (True, False):
        ids = sorted(rule_id for rule_id, value in armed.items() if value is state)
        if ids:
            await session.execute(
                update(AlertRule).where(AlertRule.id.in_(ids)).values(armed=state)
            )


async def events_page(
    session: AsyncSession,
    account_id: uuid.UUID,
    *,
    before_id: int | None,
    limit: int,
    alert_id: uuid.UUID | None = None,
) -> list[AlertEvent]:
    """The account's firings (of one alert, if given), newest first, after the cursor."""
    query = select(AlertEvent).where(AlertEvent.account_id == account_id)
    if alert_id is not None:
        query = query.where(AlertEvent.alert_id == alert_id)
    if before_id is not None:
        query = query.where(AlertEvent.id < before_id)
    result = await session.scalars(query.order_by(AlertEvent.id.desc()).limit(limit))
    return list(result)


async def event_of(
    session: AsyncSession, account_id: uuid.UUID, event_id: int
) -> AlertEvent | None:
    found: AlertEvent | None = await session.scalar(
        select(AlertEvent).where(AlertEvent.id == event_id, AlertEvent.account_id == account_id)
    )
    return found
