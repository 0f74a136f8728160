"""A collection run end to end: sync_runs row, fetch, persist + aggregate, publish.

Order matters for crash safety: listings, the snapshots of every (minifigure, day) the
batch covers, the run's result and their events (staged in the outbox) commit together.
A worker killed at any point leaves either all of it or none of it: a run on record as
succeeded has its snapshots, and a re-run converges on the same rows (inserts are
idempotent, recomputes overwrite). Events go out only after that commit, and the outbox
relay re-sends them if the worker dies before they do.

The snapshot recompute holds one advisory lock per minifigure until commit, so a run
covers a bounded number of minifigures (one figure for a sync, a few for a tick, the
demo catalog for a backfill chunk); `stonks aggregate` batches larger ranges.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from server.events import SnapshotUpdated, SyncRunUpdated
from server.models import SyncRun
from server.redaction import failure_record, public_summary, secret_values
from server.store.aggregation import SnapshotKey, recompute_snapshots
from server.store.sync_runs import finish_run, start_run
from workers.context import Services
from workers.pipeline.observation import Observation
from workers.pipeline.outbox import deliver, stage_events
from workers.pipeline.persist import persist_batch

logger = logging.getLogger(__name__)

# 64 (minifigure, day) pairs recompute in ~0.1 s on a fresh chunk; 1,000 took 16 s.
MAX_PAIRS_PER_STATEMENT = 64

Fetch = Callable[[], Awaitable[Sequence[Observation]]]


@dataclass(frozen=True, slots=True)
class RunSummary:
    sync_run_id: int
    seen: int
    saved: int
    rejected: int
    snapshots: int


def _run_event(run: SyncRun) -> SyncRunUpdated:
    return SyncRunUpdated(
        sync_run_id=run.id,
        source=run.source,
        status=run.status,
        seen=run.seen,
        saved=run.saved,
        rejected=run.rejected,
        # Live subscribers are anonymous: the summary line only, never a response body.
        error=public_summary(run.error),
    )


async def run_ingest(
    services: Services,
    *,
    source: str,
    kind: str,
    fetch: Fetch,
    params: dict[str, Any] | None = None,
    job_id: str | None = None,
    live: bool = True,
) -> RunSummary:
    """Fetches and stores one batch. `live=False` (backfills) skips per-listing events.

    On any failure the run is recorded as failed, nothing of the batch is stored,
    and the exception propagates (ARQ decides about retries).
    """
    async with services.session_factory() as session, session.begin():
        run = await start_run(session, source=source, kind=kind, job_id=job_id, params=params)
    await publish_run(services, run)

    try:
        observations = await fetch()
        async with services.session_factory() as session, session.begin():
            outcome = await persist_batch(session, observations, now=datetime.now(UTC))
            snapshots = await _recompute_in(session, outcome.days)
            run = await finish_run(
                session,
                run.id,
                seen=outcome.seen,
                saved=outcome.saved,
                rejected=outcome.rejected,
            )
            updates = [SnapshotUpdated(str(k.minifigure_id), k.day, k.condition) for k in snapshots]
            outbox_id = await stage_events(
                session, [*(outcome.ticks + updates if live else []), _run_event(run)]
            )
    except BaseException as error:
        # BaseException: a job timeout cancels the task, and the run must still say so.
        await _record_failure(services, run.id, error)
        raise

    for rejection in outcome.rejections[:20]:
        logger.info(
            "rejected %s/%s: %s",
            rejection.observation.source,
            rejection.observation.external_id,
            rejection.reason,
        )
    await deliver(services, outbox_id)
    return RunSummary(run.id, outcome.seen, outcome.saved, outcome.rejected, len(snapshots))


async def _recompute_in(
    session: AsyncSession, days: set[tuple[uuid.UUID, date]]
) -> list[SnapshotKey]:
    """In statements of bounded size: the planner has no statistics yet for rows this
    transaction inserted, and its plan for one large statement grows quadratically."""
    pairs = sorted(days)
    keys: list[SnapshotKey] = []
    for start in range(0, len(pairs), MAX_PAIRS_PER_STATEMENT):
        keys += await recompute_snapshots(session, pairs[start : start + MAX_PAIRS_PER_STATEMENT])
    return keys


async def publish_run(services: Services, run: SyncRun) -> None:
    await services.bus.publish([_run_event(run)])


async def _record_failure(services: Services, run_id: int, error: BaseException) -> None:
    message = failure_record(error, secret_values(services.settings))
    async with services.session_factory() as session, session.begin():
        run = await finish_run(session, run_id, seen=0, saved=0, rejected=0, error=message)
    await publish_run(services, run)
