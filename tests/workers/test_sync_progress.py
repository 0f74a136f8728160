"""Sync runs report progress: an event at least every 100 records or 2 seconds."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from server.events import SyncRunUpdated
from server.store.catalog import upsert_minifigures
from tests.factories import catalog_entry
from workers.context import Services
from workers.pipeline import run
from workers.pipeline.observation import Observation

START = datetime(2026, 10, 1, tzinfo=UTC)


def _sales(count: int) -> list[Observation]:
    return [
        Observation(
            source="demo",
            external_id=f"sale-{n}",
            fig_num="sw0001a",
            observed_at=START + timedelta(minutes=n),
            kind="SOLD",
            condition="used",
            price=Decimal("10.00") + n % 7,
            currency="USD",
        )
        for n in range(count)
    ]


async def _run_events(services: Services, since: str, run_id: int) -> list[SyncRunUpdated]:
    return [
        e.event
        for e in (await services.bus.read_log(since)).envelopes
        if isinstance(e.event, SyncRunUpdated) and e.event.sync_run_id == run_id
    ]


async def test_an_event_follows_every_hundred_records(services: Services) -> None:
    async with services.session_factory() as session, session.begin():
        await upsert_minifigures(session, [catalog_entry("sw0001a")])
    since = await services.bus.latest_id() or "0-0"
    observations = _sales(250)

    async def fetch() -> Sequence[Observation]:
        return list(reversed(observations))

    summary = await run.run_ingest(services, source="demo", kind="test", fetch=fetch)

    events = await _run_events(services, since, summary.sync_run_id)
    assert [(e.status, e.seen, e.saved) for e in events] == [
        ("running", 0, 0),
        ("running", 100, 100),
        ("running", 200, 200),
        ("succeeded", 250, 250),
    ]


async def test_a_slow_fetch_still_reports_within_the_interval(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "PROGRESS_INTERVAL_S", 0.1)
    since = await services.bus.latest_id() or "0-0"

    async def fetch() -> Sequence[Observation]:
        await asyncio.sleep(0.45)
        return []

    summary = await run.run_ingest(services, source="demo", kind="test", fetch=fetch)

    events = await _run_events(services, since, summary.sync_run_id)
    heartbeats = [e for e in events if e.status == "running"][1:]
    assert len(heartbeats) >= 3
    assert events[-1].status == "succeeded"


def test_chunks_keep_one_store_key_together_and_ignore_input_order() -> None:
    observations = _sales(205)
    duplicate = observations[99]
    chunks = list(run.progress_chunks([*observations, duplicate]))
    shuffled = list(run.progress_chunks([duplicate, *reversed(observations)]))

    assert [len(c) for c in chunks] == [100, 100, 6]
    assert [o.key for c in chunks for o in c] == [o.key for c in shuffled for o in c]
    keys_per_chunk = [{o.key for o in c} for c in chunks]
    assert sum(duplicate.key in keys for keys in keys_per_chunk) == 1
