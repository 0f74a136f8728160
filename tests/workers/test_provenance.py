"""Provenance: every payload kept (rejected ones too), reprocessed idempotently, pruned."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.settings import Settings
from server.store.catalog import upsert_minifigures
from tests.factories import catalog_entry
from tests.workers.conftest import recording
from workers import commands
from workers.context import Services
from workers.jobs.provenance import prune_raw_observations
from workers.pipeline.observation import Observation
from workers.pipeline.reprocess import reprocess
from workers.pipeline.run import run_ingest
from workers.sources.ebay import parse_search


def _search(now: datetime) -> list[Observation]:
    return parse_search(
        json.loads(recording("ebay_search_sw0001a.json")), fig_num="sw0001a", fetched_at=now
    )


async def _ingest(services: Services, observations: Sequence[Observation]) -> None:
    async def fetch() -> Sequence[Observation]:
        return observations

    await run_ingest(services, source="ebay", kind="prices", fetch=fetch)


async def _raw(db: AsyncSession) -> list[tuple[Any, ...]]:
    rows = await db.execute(
        text("SELECT external_id, status, reason FROM raw_observations ORDER BY external_id")
    )
    result = [tuple(r) for r in rows]
    await db.rollback()
    return result


async def _listings_and_snapshots(db: AsyncSession) -> tuple[list[Any], list[Any]]:
    listings = await db.execute(
        text(
            "SELECT external_id, observed_at, price_usd, confidence, excluded_reason "
            "FROM price_listings ORDER BY external_id"
        )
    )
    snapshots = await db.execute(
        text(
            "SELECT day, condition, lowest_ask_usd, ask_median_usd, ask_count, excluded_count "
            "FROM price_snapshots ORDER BY 1, 2"
        )
    )
    state = [tuple(r) for r in listings], [tuple(r) for r in snapshots]
    await db.rollback()
    return state


async def test_rejected_payloads_are_kept_and_a_reprocess_stores_them_once_fixed(
    services: Services, db: AsyncSession, worker_settings: Settings
) -> None:
    now = datetime.now(UTC)
    # The catalog lacks the figure: every observation is rejected, but kept.
    await _ingest(services, _search(now))
    await _ingest(services, _search(now))  # the same payloads again: no new rows

    kept = await _raw(db)
    assert len(kept) == 8
    assert {(status, reason) for _, status, reason in kept} == {
        ("rejected", "unknown_minifigure"),
        ("rejected", "unknown_condition"),
    }
    assert await _listings_and_snapshots(db) == ([], [])

    async with services.session_factory() as session, session.begin():
        await upsert_minifigures(session, [catalog_entry("sw0001a")])
    out = io.StringIO()
    await commands.reprocess(
        worker_settings, out, source="ebay", first_day=now.date(), last_day=now.date()
    )
    first = await _listings_and_snapshots(db)
    again = await reprocess(services, source="ebay", first_day=now.date(), last_day=now.date())

    listings, snapshots = first
    assert "reprocessed 8 ebay payloads" in out.getvalue()
    assert "7 listings stored, 1 rejected" in out.getvalue()
    assert len(listings) == 7
    # The three asks the pipeline includes now make the day's ask figures.
    assert [(s[1], s[4], s[5]) for s in snapshots] == [("NEW", 1, 2), ("USED", 2, 2)]
    assert (again.payloads, again.stored, again.rejected) == (8, 7, 1)
    assert await _listings_and_snapshots(db) == first
    assert {status for _, status, _ in await _raw(db)} == {"accepted", "rejected"}


async def test_payloads_past_the_retention_are_pruned(
    ctx: dict[str, Any], services: Services, db: AsyncSession
) -> None:
    await _ingest(services, _search(datetime.now(UTC)))
    async with services.session_factory() as session, session.begin():
        await session.execute(
            text(
                "UPDATE raw_observations SET last_received_at = now() - interval '181 days' "
                "WHERE external_id LIKE 'v1|1%' OR external_id LIKE 'v1|2%'"
            )
        )

    pruned = await prune_raw_observations(ctx)

    assert pruned == 2
    assert len(await _raw(db)) == 6
