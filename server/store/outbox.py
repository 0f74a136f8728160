"""The event outbox: staged with the data, claimed under a row lock for delivery.

A batch is staged in the transaction that stores its listings, so the events exist
exactly when the data does. Delivery claims the row (FOR UPDATE SKIP LOCKED), publishes,
and deletes it in one transaction: a crash before the commit leaves the row for the relay,
so delivery is at least once (a crash between publish and commit repeats the batch).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import EventOutbox


@dataclass(frozen=True, slots=True)
class StagedBatch:
    id: int
    payloads: list[str]


async def stage(session: AsyncSession, payloads: Sequence[str]) -> int:
    outbox_id: int | None = await session.scalar(
        insert(EventOutbox).values(payloads=list(payloads)).returning(EventOutbox.id)
    )
    assert outbox_id is not None
    return outbox_id


async def claim(session: AsyncSession, outbox_id: int) -> StagedBatch | None:
    """The batch, locked until the transaction ends; None when another deliverer has it."""
    payloads = await session.scalar(
        select(EventOutbox.payloads)
        .where(EventOutbox.id == outbox_id)
        .with_for_update(skip_locked=True)
    )
    return None if payloads is None else StagedBatch(outbox_id, payloads)


async def claim_stale(
    session: AsyncSession, older_than: timedelta, limit: int
) -> list[StagedBatch]:
    """Batches left behind (their worker died before delivering), oldest first, locked."""
    rows = await session.execute(
        select(EventOutbox.id, EventOutbox.payloads)
        .where(EventOutbox.created_at < func.now() - older_than)
        .order_by(EventOutbox.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [StagedBatch(outbox_id, payloads) for outbox_id, payloads in rows]


async def discard(session: AsyncSession, outbox_ids: Sequence[int]) -> None:
    await session.execute(delete(EventOutbox).where(EventOutbox.id.in_(outbox_ids)))
