"""The demo market: catalog seeding, a fast deterministic backfill, live ticks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.events import EventBus, PriceTick, SnapshotUpdated, SyncRunUpdated
from server.models import Minifigure, PriceListing, PriceSnapshot, SyncRun
from workers.context import Services
from workers.jobs.demo import backfill_demo, demo_tick, seed_demo, seed_demo_catalog
from workers.sources import demo


async def test_seed_adds_the_demo_catalog_once(services: Services, db: AsyncSession) -> None:
    added = await seed_demo_catalog(services)
    again = await seed_demo_catalog(services)

    luke = await db.scalar(select(Minifigure).where(Minifigure.fig_num == "sw0001a"))
    assert added == len(demo.demo_catalog()) >= 30
    assert again == 0
    assert luke is not None
    assert luke.name == "Luke Skywalker (Tatooine)"
    assert luke.theme == "Star Wars"
    images = (await db.execute(select(Minifigure.fig_num, Minifigure.image_url))).all()
    assert len(images) == added
    assert all(url == f"https://img.bricklink.com/ItemImage/MN/0/{fig}.png" for fig, url in images)


async def test_backfill_fills_history_and_snapshots_and_resumes(
    ctx: dict[str, Any], services: Services, db: AsyncSession
) -> None:
    today = date(2026, 6, 15)
    await seed_demo_catalog(services)

    first = await backfill_demo(services, today=today)
    again = await backfill_demo(services, today=today)
    later = await backfill_demo(services, today=today + timedelta(days=2))

    days = await db.execute(
        select(func.min(PriceListing.observed_at), func.max(PriceListing.observed_at)).where(
            PriceListing.source == "demo"
        )
    )
    oldest, newest = days.one()
    assert first > 0
    assert again == 0
    assert later > 0
    assert oldest.date() == today - timedelta(days=20)
    assert newest.date() == today + timedelta(days=1)
    excluded = set(
        await db.scalars(
            select(PriceListing.excluded_reason).where(PriceListing.excluded_reason.is_not(None))
        )
    )
    assert {"lot", "outlier"} <= excluded
    snapshot_days = await db.scalar(select(func.count(func.distinct(PriceSnapshot.day))))
    assert snapshot_days == 20 + 2
    runs = (await db.scalars(select(SyncRun).where(SyncRun.kind == "backfill"))).all()
    assert [run.status for run in runs] == ["succeeded", "succeeded"]
    assert all(run.params["last_day"] for run in runs)


async def test_backfill_is_deterministic() -> None:
    figures = demo.demo_catalog()[:3]
    first = demo.backfill(figures, date(2026, 1, 1), date(2026, 1, 10))
    second = demo.backfill(figures, date(2026, 1, 1), date(2026, 1, 10))
    assert first == second
    assert len({o.key for o in first}) == len(first)


async def test_tick_publishes_prices_snapshots_and_the_run(
    ctx: dict[str, Any], services: Services
) -> None:
    await seed_demo_catalog(services)
    bus = EventBus(services.redis, namespace=services.settings.redis_namespace)
    start = await services.redis.xadd(bus.log_key, {"e": "{}"})
    await services.redis.xdel(bus.log_key, start)

    saved = await demo_tick(ctx)

    events = [envelope.event for envelope in (await bus.read_log(start.decode())).envelopes]
    ticks = [e for e in events if isinstance(e, PriceTick)]
    runs = [e for e in events if isinstance(e, SyncRunUpdated)]
    assert saved == len(ticks) >= 2
    assert all(t.observed_at > datetime.now(UTC) - timedelta(minutes=5) for t in ticks)
    assert [r.status for r in runs] == ["running", "succeeded"]
    assert runs[-1].saved == saved
    assert any(isinstance(e, SnapshotUpdated) for e in events)
    # One commit holds listings, snapshots and the run's result: a run reported
    # succeeded already has its snapshots, so its event comes after theirs.
    assert events.index(runs[-1]) > max(
        i for i, e in enumerate(events) if isinstance(e, SnapshotUpdated)
    )


async def test_seed_demo_job_seeds_and_backfills(ctx: dict[str, Any]) -> None:
    result = await seed_demo(ctx)
    assert result["catalog_added"] >= 30
    assert result["backfilled"] > 0
