"""A collection run end to end: sync_runs row, fetch, persist, publish, aggregate.

Order matters for crash safety: listings, the run's result and their events (staged
in the outbox) commit together; events go out only after that commit, and the outbox
relay re-sends them if the worker dies before they do; the snapshots of every day the
batch covers are recomputed in that same transaction, so no crash can leave stored
listings without their snapshots (inserts are idempotent, recomputes overwrite).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from server.events import PriceTick, SnapshotUpdated, SyncRunUpdated
from server.models import SyncRun
from server.redaction import failure_record, public_summary, secret_values
from server.store.aggregation import SnapshotKey, recompute_snapshots
from server.store.provenance import store_raw
from server.store.sync_runs import finish_run, start_run
from workers.context import Services
from workers.pipeline.alerts import fire_alerts
from workers.pipeline.observation import Observation, Rejection
from workers.pipeline.outbox import deliver, stage_events
from workers.pipeline.persist import BatchOutcome, prepare_batch, store_prepared
from workers.pipeline.provenance import raw_records

logger = logging.getLogger(__name__)

# The recompute's cost is linear in its rows (4,368 pairs of 15,400 listings: ~1 s in one
# statement, as against 2.5 s in statements of 64); the bound keeps each statement far
# inside STATEMENT_TIMEOUT_MS on a loaded machine.
MAX_PAIRS_PER_STATEMENT = 2048
# A sync run reports progress at least every this many records, or this many seconds.
PROGRESS_EVERY = 100
PROGRESS_INTERVAL_S = 2.0

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
    queued_run_id: int | None = None,
) -> RunSummary:
    """Fetches and stores one batch. `live=False` (backfills) skips per-listing events.

    The batch is stored in one transaction, chunk by chunk (PROGRESS_EVERY records); a
    progress event (RUNNING, the counts so far) follows every chunk, and one goes out at
    least every PROGRESS_INTERVAL_S while the source is fetched or the batch stored.
    On any failure the run is recorded as failed, nothing of the batch is stored,
    and the exception propagates (ARQ decides about retries).
    """
    async with services.session_factory() as session, session.begin():
        run = await start_run(
            session,
            source=source,
            kind=kind,
            job_id=job_id,
            params=params,
            queued_run_id=queued_run_id,
        )
    await publish_run(services, run)
    # Read now: a failed transaction below expires `run` (reassigned in it) for good.
    run_id = run.id

    progress = _Progress(services, run)
    try:
        async with progress.heartbeat():
            observations = await fetch()
            async with services.session_factory() as session, session.begin():
                ticks: list[PriceTick] = []
                # The lookups and the classification run once for the whole batch; only
                # the insert is chunked.
                prepared = await prepare_batch(session, observations, now=datetime.now(UTC))
                # Backfills (not live) are stored whole: chunking costs them time, and the
                # heartbeat still reports every PROGRESS_INTERVAL_S.
                chunks = list(
                    progress_chunks(observations, PROGRESS_EVERY if live else len(observations))
                )
                for number, chunk in enumerate(chunks, start=1):
                    outcome = await store_prepared(session, prepared, chunk)
                    ticks += outcome.ticks
                    # The last chunk is reported by the run's final event.
                    await progress.add(outcome, report=number < len(chunks))
                # Every payload as received, rejected ones too (provenance, `stonks reprocess`);
                # a backfill (the demo's generated history) received nothing from a source.
                if live:
                    await store_raw(
                        session, raw_records(observations, progress.rejections), sync_run_id=run_id
                    )
                run = await finish_run(
                    session,
                    run_id,
                    seen=progress.seen,
                    saved=progress.saved,
                    rejected=len(progress.rejections),
                )
                snapshots = await _recompute_in(session, progress.days)
                updates = [
                    SnapshotUpdated(str(k.minifigure_id), k.day, k.condition) for k in snapshots
                ]
                # Alert firings commit with the listings that caused them (backfills are
                # history, not news: they fire nothing).
                alerts = await fire_alerts(services, session, ticks) if live else []
                outbox_id = await stage_events(
                    session, [*(ticks + updates + alerts if live else []), _run_event(run)]
                )
    except BaseException as error:
        # BaseException: a job timeout cancels the task, and the run must still say so.
        await _record_failure(services, run_id, error)
        raise

    for rejection in progress.rejections[:20]:
        logger.info(
            "rejected %s/%s: %s",
            rejection.observation.source,
            rejection.observation.external_id,
            rejection.reason,
        )
    await deliver(services, outbox_id)
    return RunSummary(
        run.id, progress.seen, progress.saved, len(progress.rejections), len(snapshots)
    )


async def _recompute_in(
    session: AsyncSession, days: set[tuple[uuid.UUID, date]]
) -> list[SnapshotKey]:
    """In statements of bounded size (the planner has no statistics yet for the rows this
    transaction inserted, so each statement's plan must hold for any row count)."""
    pairs = sorted(days)
    keys: list[SnapshotKey] = []
    for start in range(0, len(pairs), MAX_PAIRS_PER_STATEMENT):
        keys += await recompute_snapshots(session, pairs[start : start + MAX_PAIRS_PER_STATEMENT])
    return keys


class _Progress:
    """A run's counts so far, and the progress events that report them."""

    def __init__(self, services: Services, run: SyncRun) -> None:
        self.services = services
        self.run = run
        self.seen = self.saved = 0
        self.rejections: list[Rejection] = []
        self.days: set[tuple[uuid.UUID, date]] = set()

    async def add(self, outcome: BatchOutcome, *, report: bool) -> None:
        self.seen += outcome.seen
        self.saved += outcome.saved
        self.rejections += outcome.rejections
        self.days |= outcome.days
        if report:
            await self.report()

    async def report(self) -> None:
        # The counts of a transaction still open: the final event (after commit) is the record.
        await self.services.bus.publish(
            [
                replace(
                    _run_event(self.run),
                    seen=self.seen,
                    saved=self.saved,
                    rejected=len(self.rejections),
                )
            ]
        )

    @asynccontextmanager
    async def heartbeat(self) -> AsyncIterator[None]:
        async def beat() -> None:
            while True:
                await asyncio.sleep(PROGRESS_INTERVAL_S)
                try:
                    await self.report()
                except (RedisError, OSError) as error:
                    # A courtesy: a Redis blip must not fail a batch that may still commit.
                    logger.warning("progress of run %s not published: %s", self.run.id, error)

        task = asyncio.create_task(beat())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def _order(observation: Observation) -> tuple[str, str, float]:
    """A total order that does not depend on the input's order (naive times sort first:
    validation rejects them anyway)."""
    moment = observation.observed_at
    return (
        observation.source,
        observation.external_id,
        moment.timestamp() if moment.tzinfo is not None else float("-inf"),
    )


def progress_chunks(
    observations: Sequence[Observation], size: int = PROGRESS_EVERY
) -> Iterator[list[Observation]]:
    """Chunks of about `size` in a canonical order; one store key never spans two chunks,
    so deduplication and outlier tests see the same groups whatever order came in."""
    chunk: list[Observation] = []
    for observation in sorted(observations, key=_order):
        if len(chunk) >= size and _order(chunk[-1]) != _order(observation):
            yield chunk
            chunk = []
        chunk.append(observation)
    if chunk:
        yield chunk


async def publish_run(services: Services, run: SyncRun) -> None:
    await services.bus.publish([_run_event(run)])


async def _record_failure(services: Services, run_id: int, error: BaseException) -> None:
    message = failure_record(error, secret_values(services.settings))
    async with services.session_factory() as session, session.begin():
        run = await finish_run(session, run_id, seen=0, saved=0, rejected=0, error=message)
    await publish_run(services, run)
