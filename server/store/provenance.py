"""Raw observations: stored with every ingest, read back by `stonks reprocess`, pruned."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import RawObservation


@dataclass(frozen=True, slots=True)
class RawRecord:
    source: str
    external_id: str
    observed_key: str
    digest: str
    observation: dict[str, Any]
    status: str
    reason: str | None


async def store_raw(
    session: AsyncSession, records: Sequence[RawRecord], *, sync_run_id: int | None
) -> None:
    """Stores each distinct payload once; one received again only moves its last sighting
    (and takes the latest verdict)."""
    if not records:
        return
    unique = {(r.source, r.external_id, r.observed_key, r.digest): r for r in records}
    rows = [
        {
            "source": r.source,
            "external_id": r.external_id,
            "observed_key": r.observed_key,
            "digest": r.digest,
            "observation": r.observation,
            "status": r.status,
            "reason": r.reason,
            "sync_run_id": sync_run_id,
        }
        for _, r in sorted(unique.items())
    ]
    statement = insert(RawObservation).values(rows)
    await session.execute(
        statement.on_conflict_do_update(
            constraint="uq_raw_payload",
            set_={
                "last_received_at": func.now(),
                "status": statement.excluded.status,
                "reason": statement.excluded.reason,
                "sync_run_id": func.coalesce(
                    statement.excluded.sync_run_id, RawObservation.sync_run_id
                ),
            },
        )
    )


async def raw_between(
    session: AsyncSession, source: str, first_day: date, last_day: date
) -> list[dict[str, Any]]:
    """The stored observations of a source last received in [first_day, last_day] (UTC)."""
    start = datetime.combine(first_day, time(), UTC)
    end = datetime.combine(last_day + timedelta(days=1), time(), UTC)
    result = await session.scalars(
        select(RawObservation.observation)
        .where(
            RawObservation.source == source,
            RawObservation.last_received_at >= start,
            RawObservation.last_received_at < end,
        )
        .order_by(RawObservation.id)
    )
    return list(result)


async def prune_raw(session: AsyncSession, *, keep_days: int) -> int:
    """Deletes payloads not received for `keep_days` days; returns how many."""
    result = await session.execute(
        delete(RawObservation).where(
            RawObservation.last_received_at < func.now() - timedelta(days=keep_days)
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
