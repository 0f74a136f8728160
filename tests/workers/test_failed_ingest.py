"""A batch that fails late in its transaction (after its run was marked finished in it)
is recorded as failed, with the error that failed it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import asyncpg
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from server.models import PriceListing, SyncRun
from tests.faults.holds import LOCK_ALL_FIGURES
from tests.workers.test_ingest_idempotence import _catalog
from workers.context import services_of
from workers.pipeline.observation import Observation
from workers.pipeline.run import run_ingest
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
