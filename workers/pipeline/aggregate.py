"""Snapshot recomputation in bounded batches, with SnapshotUpdated events after each commit."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from datetime import date

from server.events import SnapshotUpdated
from server.store.aggregation import days_with_listings, recompute_snapshots
from server.store.candles import refresh_daily_candles
from workers.context import Services

# Each minifigure in a batch holds one advisory lock until commit; PostgreSQL's shared
# lock table is sized max_locks_per_transaction x max_connections, so stay well below.
MAX_MINIFIGURES_PER_BATCH = 200


def batches(
    days: Iterable[tuple[uuid.UUID, date]], limit: int = MAX_MINIFIGURES_PER_BATCH
) -> Iterator[list[tuple[uuid.UUID, date]]]:
    batch: list[tuple[uuid.UUID, date]] = []
    figures: set[uuid.UUID] = set()
    for pair in sorted(set(days)):
        if pair[0] not in figures and len(figures) == limit:
            yield batch
            batch, figures = [], set()
        batch.append(pair)
        figures.add(pair[0])
    if batch:
        yield batch


async def recompute(
    services: Services, days: Iterable[tuple[uuid.UUID, date]], *, live: bool
) -> int:
    """Recomputes the snapshots of the given (minifigure, day) pairs; returns rows written."""
    written = 0
    days = list(days)
    for batch in batches(days):
        async with services.session_factory() as session, session.begin():
            keys = await recompute_snapshots(session, batch)
        written += len(keys)
        if live:
            await services.bus.publish(
                [SnapshotUpdated(str(k.minifigure_id), k.day, k.condition) for k in keys]
            )
    if days:
        async with services.session_factory() as session:
            await refresh_daily_candles(session, min(d for _, d in days), max(d for _, d in days))
    return written


async def recompute_range(services: Services, first_day: date, last_day: date) -> int:
    """Backfill: every snapshot in [first_day, last_day] that has listings."""
    async with services.session_factory() as session:
        days = await days_with_listings(session, first_day, last_day)
    return await recompute(services, days, live=False)
