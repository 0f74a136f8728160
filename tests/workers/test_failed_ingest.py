"""Failures around a batch's transaction: one that fails late in it (after its run was
marked finished in it) is recorded as failed; a Redis outage during it fails nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from server.events import SyncRunUpdated
from server.models import PriceListing, SyncRun
from tests.faults.holds import LOCK_ALL_FIGURES
from tests.faults.processes import OwnRedis
from tests.workers.test_ingest_idempotence import _catalog
from workers.context import services_of
from workers.pipeline.observation import Observation
from workers.pipeline.run import PROGRESS_INTERVAL_S, run_ingest
from workers.sources import demo


async def test_a_batch_failing_at_its_snapshot_recompute_is_recorded_as_failed(
    make_ctx: Callable[..., Any], database_url: str
) -> None:
    # The recompute waits on snapshot locks held elsewhere until the statement timeout.
    services = services_of(await make_ctx(statement_timeout_ms=1000))
    await _catalog(services)

    async def fetch() -> Sequence[Observation]:
        return demo.backfill(demo.demo_catalog()[:2], date(2026, 10, 1), date(2026, 10, 2))

    holder = await asyncpg.connect(database_url)
    try:
        await holder.fetchval(LOCK_ALL_FIGURES)
        with pytest.raises(DBAPIError, match="statement timeout"):
            await run_ingest(services, source="demo", kind="test", fetch=fetch)
    finally:
        await holder.close()

    async with services.session_factory() as session:
        run = (await session.execute(select(SyncRun))).scalar_one()
        listings = await session.scalar(select(func.count()).select_from(PriceListing))
    assert run.status == "failed"
    assert run.error is not None
    assert "statement timeout" in run.error
    assert listings == 0


async def test_a_redis_outage_during_a_batch_does_not_fail_it(
    make_ctx: Callable[..., Any], tmp_path: Path
) -> None:
    """Progress reports fail while Redis is down; the batch still commits as succeeded
    and its events go out once Redis is back."""
    redis = OwnRedis(tmp_path)
    redis.start()
    try:
        services = services_of(await make_ctx(redis_url=SecretStr(redis.url)))
        await _catalog(services)
        start = await services.bus.latest_id() or "0-0"

        async def fetch_through_an_outage() -> Sequence[Observation]:
            redis.kill()
            await asyncio.sleep(PROGRESS_INTERVAL_S * 1.5)  # a heartbeat fails meanwhile
            redis.start()
            return demo.backfill(demo.demo_catalog()[:2], date(2026, 10, 1), date(2026, 10, 2))

        summary = await run_ingest(
            services, source="demo", kind="test", fetch=fetch_through_an_outage
        )
        events = [e.event for e in (await services.bus.read_log(start)).envelopes]
    finally:
        redis.stop()

    async with services.session_factory() as session:
        run = (await session.execute(select(SyncRun))).scalar_one()
    assert run.status == "succeeded"
    assert run.saved == summary.saved > 0
    assert [e for e in events if isinstance(e, SyncRunUpdated)][-1].status == "succeeded"
