"""Sync runs: one row per collection run, and the source's last-run bookkeeping."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import DataSource, SyncRun, SyncStatus

# Errors end up in the API; a traceback-sized message helps nobody there.
MAX_ERROR_LENGTH = 2000


async def queue_run(
    session: AsyncSession, *, source: str, kind: str, job_id: str, params: dict[str, Any]
) -> SyncRun:
    """A run waiting in the job queue (QUEUED), so that it has an id before it starts."""
    run = SyncRun(
        source=source, kind=kind, status=SyncStatus.QUEUED.value, job_id=job_id, params=params
    )
    session.add(run)
    await session.flush()
    return run


async def waiting_or_running_run(session: AsyncSession, job_id: str) -> SyncRun | None:
    """The newest run of a queue job that has not finished yet."""
    return await session.scalar(
        select(SyncRun)
        .where(
            SyncRun.job_id == job_id,
            SyncRun.status.in_([SyncStatus.QUEUED.value, SyncStatus.RUNNING.value]),
        )
        .order_by(SyncRun.id.desc())
        .limit(1)
    )


async def discard_run(session: AsyncSession, run_id: int) -> None:
    """Drops a QUEUED run whose job the queue refused (the same job was already queued)."""
    await session.execute(
        delete(SyncRun).where(SyncRun.id == run_id, SyncRun.status == SyncStatus.QUEUED.value)
    )


async def start_run(
    session: AsyncSession,
    *,
    source: str,
    kind: str,
    job_id: str | None = None,
    params: dict[str, Any] | None = None,
    queued_run_id: int | None = None,
) -> SyncRun:
    """Marks the queued run RUNNING, or records a new running run (cron, CLI, retries)."""
    await session.execute(
        update(DataSource).where(DataSource.code == source).values(last_run_at=func.now())
    )
    if queued_run_id is not None:
        claimed = (
            await session.execute(
                update(SyncRun)
                .where(SyncRun.id == queued_run_id, SyncRun.status == SyncStatus.QUEUED.value)
                .values(status=SyncStatus.RUNNING.value, started_at=func.now())
                .returning(SyncRun)
            )
        ).scalar_one_or_none()
        if claimed is not None:
            return claimed
    run = SyncRun(
        source=source,
        kind=kind,
        status=SyncStatus.RUNNING.value,
        job_id=job_id,
        params=params or {},
    )
    session.add(run)
    await session.flush()
    return run


async def finish_run(
    session: AsyncSession,
    run_id: int,
    *,
    seen: int,
    saved: int,
    rejected: int,
    error: str | None = None,
) -> SyncRun:
    """Marks the run succeeded (no error) or failed, and records it on its source."""
    status = SyncStatus.FAILED if error is not None else SyncStatus.SUCCEEDED
    message = error[:MAX_ERROR_LENGTH] if error is not None else None
    run = (
        await session.execute(
            update(SyncRun)
            .where(SyncRun.id == run_id)
            .values(
                status=status.value,
                seen=seen,
                saved=saved,
                rejected=rejected,
                error=message,
                finished_at=func.now(),
            )
            .returning(SyncRun)
        )
    ).scalar_one()
    source_values: dict[str, Any] = {"last_error": message}
    if error is None:
        source_values["last_success_at"] = func.now()
    await session.execute(
        update(DataSource).where(DataSource.code == run.source).values(**source_values)
    )
    return run


async def data_source(session: AsyncSession, code: str) -> DataSource | None:
    return await session.get(DataSource, code)


async def active_sources(session: AsyncSession) -> Sequence[DataSource]:
    return (
        await session.scalars(select(DataSource).where(DataSource.active).order_by(DataSource.code))
    ).all()


async def last_succeeded_run(session: AsyncSession, *, source: str, kind: str) -> SyncRun | None:
    return await session.scalar(
        select(SyncRun)
        .where(
            SyncRun.source == source,
            SyncRun.kind == kind,
            SyncRun.status == SyncStatus.SUCCEEDED.value,
        )
        .order_by(SyncRun.id.desc())
        .limit(1)
    )


async def fail_abandoned_runs(session: AsyncSession, *, older_than_s: int) -> int:
    """Marks runs still 'running' after `older_than_s` seconds as failed.

    A worker killed mid-run (SIGKILL, OOM, power) leaves its run 'running'; no job
    lives longer than the job timeout, so such a run can only be abandoned.
    """
    result = await session.execute(
        update(SyncRun)
        .where(
            SyncRun.status == SyncStatus.RUNNING.value,
            SyncRun.started_at < func.now() - func.make_interval(0, 0, 0, 0, 0, 0, older_than_s),
        )
        .values(
            status=SyncStatus.FAILED.value,
            error="abandoned: the worker stopped before the run finished",
            finished_at=func.now(),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def sync_job_id(namespace: str, source: str, fig_num: str) -> str:
    """The ARQ job id of a price sync: while one is queued or running, enqueueing the
    same source and figure again (schedule or triggerSync) is a no-op. ARQ's job keys
    are global to the Redis database, hence the deployment's namespace in the id."""
    return f"{namespace}:sync:{source}:{fig_num}"
