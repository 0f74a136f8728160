"""The rolling price schedule: inside the daily quota, round the catalog, deduplicated."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from arq.connections import ArqRedis
from pydantic import SecretStr
from sqlalchemy import select

from server.models import SyncRun
from server.store.catalog import upsert_minifigures
from tests.factories import catalog_entry
from workers.context import services_of
from workers.jobs.sync import SCHEDULE_MINUTES, figures_for_slot, schedule_prices

SLOTS = 24 * 60 // SCHEDULE_MINUTES


def test_a_day_of_slots_spends_exactly_the_quota() -> None:
    for quota, per_figure in ((5000, 4), (10_000, 2), (100, 4), (7, 1), (96 * 4, 4)):
        slots = [figures_for_slot(quota, per_figure, slot) for slot in range(SLOTS)]
        assert sum(slots) == quota // per_figure
        assert max(slots) - min(slots) <= 1
    assert figures_for_slot(5000, 4, 0) == 13


async def test_schedule_enqueues_configured_sources_once_per_figure(
    make_ctx: Callable[..., Any],
) -> None:
    ctx = await make_ctx(brickowl_api_key=SecretStr("owl-key"))
    services = services_of(ctx)
    queue = ArqRedis(services.redis.connection_pool)
    ctx["redis"] = queue
    async with services.session_factory() as session, session.begin():
        await upsert_minifigures(
            session, [catalog_entry(f) for f in ("sw0001a", "sw0002", "sw0003")]
        )

    first = await schedule_prices(ctx)
    second = await schedule_prices(ctx)

    # BrickOwl's quota (10,000 a day, 2 requests a figure) allows 52 figures a slot: the
    # whole catalog, once; BrickLink and eBay have no credentials here.
    assert first == second == {"brickowl": 3}
    queued = await queue.queued_jobs(queue_name=services.settings.worker_queue_name)
    async with services.session_factory() as session:
        rows = (
            await session.execute(
                select(SyncRun.params["fig_num"].astext, SyncRun.id).where(
                    SyncRun.status == "queued"
                )
            )
        ).all()
    runs = {row[0]: row[1] for row in rows}
    # Each job carries its QUEUED run; the second schedule added no run for a queued job.
    assert sorted(job.args for job in queued) == [
        ("brickowl", "sw0001a", runs["sw0001a"]),
        ("brickowl", "sw0002", runs["sw0002"]),
        ("brickowl", "sw0003", runs["sw0003"]),
    ]
    assert len(rows) == 3
