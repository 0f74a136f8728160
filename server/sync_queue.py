"""Queueing a price sync: the run is recorded QUEUED first, so its id exists at once.

triggerSync and the rolling schedule both come here. The job carries the run's id and
the worker moves that run to RUNNING; a job the queue already holds (same source and
figure) keeps its own run, and the new QUEUED row is dropped again.
"""

from __future__ import annotations

from dataclasses import dataclass

from arq.connections import ArqRedis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.store.sync_runs import discard_run, queue_run, sync_job_id, waiting_or_running_run

PRICE_SYNC_JOB = "sync_prices"


@dataclass(frozen=True, slots=True)
class QueuedSync:
    job_id: str
    sync_run_id: int | None
    already_queued: bool


async def enqueue_price_sync(
    queue: ArqRedis,
    session_factory: async_sessionmaker[AsyncSession],
    *,
    namespace: str,
    queue_name: str,
    source: str,
    fig_num: str,
) -> QueuedSync:
    job_id = sync_job_id(namespace, source, fig_num)
    async with session_factory() as session, session.begin():
        run = await queue_run(
            session, source=source, kind="prices", job_id=job_id, params={"fig_num": fig_num}
        )
    job = await queue.enqueue_job(
        PRICE_SYNC_JOB, source, fig_num, run.id, _job_id=job_id, _queue_name=queue_name
    )
    if job is not None:
        return QueuedSync(job_id, run.id, already_queued=False)
    async with session_factory() as session, session.begin():
        await discard_run(session, run.id)
        existing = await waiting_or_running_run(session, job_id)
    return QueuedSync(job_id, existing.id if existing else None, already_queued=True)
