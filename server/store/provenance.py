"""Raw observations: stored with every ingest, read back by `stonks reprocess`, pruned."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import RawObservation


@dataclass(frozen=True, slots=True)
class RawRecord:
    source: str
    external_id: str
    observed_key: str
    digest: str
    # The observation as JSON text (the text its digest was taken of).
    document: str
    status: str
    reason: str | None


# One statement for any number of payloads: column arrays unnested server-side keep the
# parameter count fixed (asyncpg caps a statement at 32,767 parameters; one VALUES row per
# payload failed from 4,096 payloads on).
_STORE_RAW = text(
    """
    INSERT INTO raw_observations (
        source, external_id, observed_key, digest, observation, status, reason, sync_run_id
    )
    SELECT s, e, k, d, o::jsonb, st, r, CAST(:sync_run_id AS bigint)
    FROM unnest(
        CAST(:source AS text[]), CAST(:external_id AS text[]), CAST(:observed_key AS text[]),
        CAST(:digest AS text[]), CAST(:observation AS text[]), CAST(:status AS text[]),
        CAST(:reason AS text[])
    ) AS batch(s, e, k, d, o, st, r)
    ON CONFLICT ON CONSTRAINT uq_raw_payload DO UPDATE SET
        last_received_at = now(),
        status = excluded.status,
        reason = excluded.reason,
        sync_run_id = coalesce(excluded.sync_run_id, raw_observations.sync_run_id)
    """
)


async def store_raw(
    session: AsyncSession, records: Sequence[RawRecord], *, sync_run_id: int | None
) -> None:
    """Stores each distinct payload once; one received again only moves its last sighting
    (and takes the latest verdict)."""
    if not records:
        return
    unique = {(r.source, r.external_id, r.observed_key, r.digest): r for r in records}
    rows = [record for _, record in sorted(unique.items())]
    await session.execute(
        _STORE_RAW,
        {
            "source": [r.source for r in rows],
            "external_id": [r.external_id for r in rows],
            "observed_key": [r.observed_key for r in rows],
            "digest": [r.digest for r in rows],
            "observation": [r.document for r in rows],
            "status": [r.status for r in rows],
            "reason": [r.reason for r in rows],
            "sync_run_id": sync_run_id,
        },
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
