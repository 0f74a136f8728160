"""The same payload ingested three times, in different orders, leaves identical data."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.store.catalog import upsert_minifigures
from tests.factories import catalog_entry
from tests.workers.conftest import recording
from workers.context import Services
from workers.jobs.demo import seed_demo_catalog
from workers.pipeline.observation import Observation
from workers.pipeline.run import run_ingest
from workers.sources import demo
from workers.sources.bricklink import PriceGuideRequest, parse_price_guide
from workers.sources.ebay import parse_search

FETCHED = datetime(2026, 10, 12, 15, 30, tzinfo=UTC)


def payload() -> list[Observation]:
    observations: list[Observation] = []
    for guide_type in ("sold", "stock"):
        for condition in ("N", "U"):
            observations += parse_price_guide(
                json.loads(recording(f"bricklink_{guide_type}_{condition}.json")),
                PriceGuideRequest("sw0001a", guide_type, condition),
                fetched_at=FETCHED,
            )
    observations += parse_search(
        json.loads(recording("ebay_search_sw0001a.json")), fig_num="sw0001a", fetched_at=FETCHED
    )
    figures = demo.demo_catalog()[1:6]
    observations += demo.backfill(figures, date(2026, 10, 1), date(2026, 10, 12))
    return observations


async def _state(session: AsyncSession) -> tuple[list[Any], list[Any]]:
    listings = await session.execute(
        text(
            "SELECT minifigure_id, source, external_id, observed_at, kind, condition, quantity, "
            "price_usd, shipping_usd, original_price, original_currency, fx_rate, seller_name, "
            "seller_country, confidence, excluded_reason, raw FROM price_listings "
            "ORDER BY source, external_id, observed_at"
        )
    )
    snapshots = await session.execute(
        text(
            "SELECT minifigure_id, day, condition, min_usd, max_usd, mean_usd, median_usd, "
            "p25_usd, p75_usd, weighted_mean_usd, sold_count, ask_count, excluded_count, "
            "sold_quantity, sources_count, by_source FROM price_snapshots ORDER BY 1, 2, 3"
        )
    )
    return [tuple(r) for r in listings], [tuple(r) for r in snapshots]


async def _catalog(services: Services) -> None:
    await seed_demo_catalog(services)
    async with services.session_factory() as session, session.begin():
        await upsert_minifigures(session, [catalog_entry("sw0001a")])


async def _ingest(services: Services, observations: Sequence[Observation]) -> int:
    async def fetch() -> Sequence[Observation]:
        return observations

    summary = await run_ingest(services, source="demo", kind="test", fetch=fetch)
    return summary.saved


async def test_three_ingests_in_any_order_leave_identical_rows_and_snapshots(
    services: Services, db: AsyncSession
) -> None:
    await _catalog(services)
    observations = payload()
    shuffled = observations[:]
    random.Random(4).shuffle(shuffled)

    first_saved = await _ingest(services, observations)
    after_first = await _state(db)
    await db.rollback()
    again = [
        await _ingest(services, list(reversed(observations))),
        await _ingest(services, shuffled),
    ]
    after_third = await _state(db)

    assert first_saved > 100
    assert again == [0, 0]
    assert after_third == after_first
    listings, snapshots = after_first
    assert len(listings) == first_saved
    assert len(snapshots) > 50


async def test_one_ingest_of_shuffled_rows_equals_one_of_sorted_rows(
    services: Services, db: AsyncSession, engine: Any
) -> None:
    await _catalog(services)
    observations = payload()
    shuffled = observations[:]
    random.Random(9).shuffle(shuffled)

    stored = await _ingest(services, observations)
    sorted_state = await _state(db)
    await db.rollback()
    async with services.session_factory() as session, session.begin():
        await session.execute(text("TRUNCATE price_listings, price_snapshots"))
    await _ingest(services, shuffled)
    shuffled_state = await _state(db)

    assert stored > 100
    assert len(sorted_state[0]) == stored
    assert shuffled_state == sorted_state


async def test_two_concurrent_ingests_of_one_payload_store_it_once(
    services: Services, db: AsyncSession
) -> None:
    await _catalog(services)
    observations = payload()
    shuffled = observations[:]
    random.Random(11).shuffle(shuffled)

    # Rows are inserted in one canonical order, so overlapping batches cannot deadlock.
    saved = await asyncio.gather(_ingest(services, observations), _ingest(services, shuffled))
    concurrent = await _state(db)
    await db.rollback()
    await _ingest(services, observations)
    again = await _state(db)

    assert len(concurrent[0]) > 100
    assert sum(saved) == len(concurrent[0])
    assert again == concurrent
