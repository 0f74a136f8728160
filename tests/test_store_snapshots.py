from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Condition, PriceSnapshot
from server.store.catalog import upsert_minifigures
from server.store.snapshots import SnapshotValues, snapshots_between, upsert_snapshots
from tests.factories import catalog_entry


async def test_recomputing_a_snapshot_replaces_it(session: AsyncSession) -> None:
    luke = (await upsert_minifigures(session, [catalog_entry()]))["sw0001a"]
    day = date(2026, 11, 1)

    await upsert_snapshots(
        session,
        [SnapshotValues(luke, day, Condition.USED, median_usd=Decimal("10.00"), sold_count=3)],
    )
    await upsert_snapshots(
        session,
        [SnapshotValues(luke, day, Condition.USED, median_usd=Decimal("11.00"), sold_count=4)],
    )

    rows = await snapshots_between(session, luke, day, day)
    assert [(r.median_usd, r.sold_count) for r in rows] == [(Decimal("11.00"), 4)]
    assert await session.scalar(select(func.count()).select_from(PriceSnapshot)) == 1


async def test_snapshots_between_is_inclusive_and_filters_condition(
    session: AsyncSession,
) -> None:
    luke = (await upsert_minifigures(session, [catalog_entry()]))["sw0001a"]
    days = [date(2026, 11, d) for d in (1, 2, 3, 4)]
    await upsert_snapshots(
        session,
        [SnapshotValues(luke, d, c) for d in days for c in (Condition.NEW, Condition.USED)],
    )

    used = await snapshots_between(session, luke, days[1], days[2], condition=Condition.USED)
    both = await snapshots_between(session, luke, days[1], days[2])

    assert [(r.day, r.condition) for r in used] == [(days[1], "USED"), (days[2], "USED")]
    assert len(both) == 4
