"""Reads of data sources and sync runs (what collected the prices, and how it went)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import DataSource, SyncRun


async def data_sources(session: AsyncSession) -> Sequence[DataSource]:
    return (await session.scalars(select(DataSource).order_by(DataSource.code))).all()


async def data_source(session: AsyncSession, code: str) -> DataSource | None:
    return await session.get(DataSource, code)


async def sync_run(session: AsyncSession, run_id: int) -> SyncRun | None:
    return await session.get(SyncRun, run_id)


async def sync_runs_page(
    session: AsyncSession,
    *,
    source: str | None,
    status: str | None,
    before_id: int | None,
    limit: int,
) -> Sequence[SyncRun]:
    """Newest first (ids grow with time), keyset-paginated on the id."""
    query = select(SyncRun).order_by(SyncRun.id.desc()).limit(limit)
    if source is not None:
        query = query.where(SyncRun.source == source)
    if status is not None:
        query = query.where(SyncRun.status == status)
    if before_id is not None:
        query = query.where(SyncRun.id < before_id)
    return (await session.scalars(query)).all()
