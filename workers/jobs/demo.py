"""The demo market: seed the catalog, backfill history once, then keep ticking."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from server.store.identity import import_entries
from server.store.sync_runs import last_succeeded_run
from workers.context import Services, services_of
from workers.pipeline.observation import Observation
from workers.pipeline.run import run_ingest
from workers.sources import demo

BACKFILL = "backfill"
# One run (one transaction: listings and their snapshots) per chunk of days, so each
# statement stays far inside STATEMENT_TIMEOUT_MS however long the history asked for.
BACKFILL_CHUNK_DAYS = 30


async def seed_demo_catalog(services: Services) -> int:
    """Adds the demo figures the catalog lacks (catalog edits of known ones are kept)."""
    figures = demo.demo_catalog()
    async with services.session_factory() as session, session.begin():
        outcome = await import_entries(session, [f.entry for f in figures], update_known=False)
    return outcome.added


async def backfill_demo(services: Services, *, today: date) -> int:
    """Generates history up to yesterday, from where the last backfill stopped.

    Chunk by chunk: a worker killed half-way resumes after the last chunk it committed.
    """
    yesterday = today - timedelta(days=1)
    first_day = today - timedelta(days=services.settings.demo_backfill_days)
    async with services.session_factory() as session:
        previous = await last_succeeded_run(session, source=demo.SOURCE, kind=BACKFILL)
    if previous is not None and "last_day" in previous.params:
        first_day = max(first_day, date.fromisoformat(previous.params["last_day"]) + timedelta(1))
    figures = demo.demo_catalog()
    saved = 0
    while first_day <= yesterday:
        last_day = min(yesterday, first_day + timedelta(days=BACKFILL_CHUNK_DAYS - 1))
        saved += await _backfill_chunk(services, figures, first_day, last_day)
        first_day = last_day + timedelta(days=1)
    return saved


async def _backfill_chunk(
    services: Services, figures: list[demo.DemoFigure], first_day: date, last_day: date
) -> int:
    async def fetch() -> list[Observation]:
        return demo.backfill(figures, first_day, last_day)

    summary = await run_ingest(
        services,
        source=demo.SOURCE,
        kind=BACKFILL,
        fetch=fetch,
        params={"first_day": first_day.isoformat(), "last_day": last_day.isoformat()},
        live=False,
    )
    return summary.saved


async def seed_demo(ctx: dict[str, Any]) -> dict[str, int]:
    services = services_of(ctx)
    added = await seed_demo_catalog(services)
    saved = await backfill_demo(services, today=datetime.now(UTC).date())
    return {"catalog_added": added, "backfilled": saved}


async def demo_tick(ctx: dict[str, Any]) -> int:
    """A few fresh listings now, published live."""
    services = services_of(ctx)
    figures = demo.demo_catalog()
    now = datetime.now(UTC)
    rng = random.Random()

    async def fetch() -> list[Observation]:
        return demo.tick(figures, now, rng)

    summary = await run_ingest(
        services, source=demo.SOURCE, kind="tick", fetch=fetch, job_id=ctx.get("job_id")
    )
    return summary.saved
