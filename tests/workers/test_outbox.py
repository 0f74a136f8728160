"""Events committed with their data reach Redis even when the worker dies before sending."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.events import PriceTick, SyncRunUpdated
from server.models import EventOutbox, PriceListing
from tests.workers.test_ingest_idempotence import _catalog, payload
from workers.context import Services
from workers.pipeline import outbox, run
from workers.pipeline.observation import Observation
from workers.pipeline.outbox import deliver, relay_stale, stage_events


class WorkerDiedError(Exception):
    """Stands for the process ending between the commit and the delivery."""


async def _ingest(services: Services) -> None:
    async def fetch() -> Sequence[Observation]:
        return payload()

    await run.run_ingest(services, source="demo", kind="test", fetch=fetch)


async def _count(db: AsyncSession, table: type[EventOutbox | PriceListing]) -> int:
    return int(await db.scalar(select(func.count()).select_from(table)) or 0)


async def _ticks(services: Services, since: str) -> list[PriceTick]:
    return [
        e.event
        for e in (await services.bus.read_log(since)).envelopes
        if isinstance(e.event, PriceTick)
    ]


async def test_a_delivered_batch_leaves_nothing_in_the_outbox(
    services: Services, db: AsyncSession
) -> None:
    await _catalog(services)
    start = await services.bus.latest_id() or "0-0"

    await _ingest(services)

    assert len(await _ticks(services, start)) == await _count(db, PriceListing) > 0
    assert await _count(db, EventOutbox) == 0


async def test_the_relay_sends_what_a_dead_worker_committed_exactly_once(
    services: Services, db: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _catalog(services)
    start = await services.bus.latest_id() or "0-0"

    async def die(services: Services, outbox_id: int | None) -> None:
        raise WorkerDiedError

    with monkeypatch.context() as patch:
        patch.setattr(run, "deliver", die)
        with pytest.raises(WorkerDiedError):
            await _ingest(services)
    assert await _count(db, EventOutbox) == 1
    assert await _ticks(services, start) == []

    assert await relay_stale(services, timedelta(0)) == 1
    assert await relay_stale(services, timedelta(0)) == 0

    ticks = await _ticks(services, start)
    assert len({t.listing_id for t in ticks}) == len(ticks) == await _count(db, PriceListing)
    finished = [e.event for e in (await services.bus.read_log(start)).envelopes][-1]
    assert isinstance(finished, SyncRunUpdated)
    assert finished.status == "succeeded"
    assert await _count(db, EventOutbox) == 0


async def test_a_batch_published_just_before_the_worker_died_is_not_relayed_again(
    services: Services, db: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _catalog(services)
    start = await services.bus.latest_id() or "0-0"

    async def die_before_removing(session: AsyncSession, outbox_ids: Sequence[int]) -> None:
        raise WorkerDiedError

    with monkeypatch.context() as patch:
        patch.setattr(outbox, "discard", die_before_removing)
        with pytest.raises(WorkerDiedError):
            await _ingest(services)
    assert await _count(db, EventOutbox) == 1  # published, but still staged
    published = (await services.bus.read_log(start)).envelopes
    assert published

    assert await relay_stale(services, timedelta(0)) == 1

    assert (await services.bus.read_log(start)).envelopes == published
    ticks = await _ticks(services, start)
    assert len({t.listing_id for t in ticks}) == len(ticks) == await _count(db, PriceListing)
    assert await _count(db, EventOutbox) == 0


async def test_delivering_a_batch_the_relay_already_sent_sends_nothing(
    services: Services,
) -> None:
    event = SyncRunUpdated(
        sync_run_id=1, source="demo", status="succeeded", seen=0, saved=0, rejected=0, error=None
    )
    async with services.session_factory() as session, session.begin():
        outbox_id = await stage_events(session, [event])
    start = await services.bus.latest_id() or "0-0"

    await relay_stale(services, timedelta(0))
    await deliver(services, outbox_id)

    assert [e.event for e in (await services.bus.read_log(start)).envelopes] == [event]
