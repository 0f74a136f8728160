"""One identity per figure: the resolver behind every import path, and idempotent merges."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Minifigure, MinifigureMerge, PriceListing, PriceSnapshot
from server.settings import Settings
from server.store.aggregation import recompute_snapshots
from server.store.catalog import CatalogEntry, upsert_minifigures
from server.store.identity import import_entries, save_crosswalk
from server.store.listings import insert_listings
from tests.factories import catalog_entry, listing
from workers import commands
from workers.context import Services

DAY = date(2026, 11, 1)
RECORDINGS = Path(__file__).parent / "recordings"


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


async def _duplicated_luke(services: Services) -> dict[str, uuid.UUID]:
    """The state the old API sync left: Luke under his BrickLink number and Rebrickable's."""
    async with services.session_factory() as session, session.begin():
        ids = await upsert_minifigures(
            session,
            [
                catalog_entry("sw0001a"),
                catalog_entry(
                    "fig-003509", name="Luke Skywalker - Tatooine", rebrickable_id="fig-003509"
                ),
            ],
        )
        await insert_listings(
            session,
            [
                listing(ids["sw0001a"], "a", observed_at=_at(DAY, 1)),
                listing(ids["sw0001a"], "b", observed_at=_at(DAY, 2)),
                listing(ids["fig-003509"], "c", observed_at=_at(DAY, 3)),
                listing(ids["fig-003509"], "d", observed_at=_at(DAY + timedelta(1), 3)),
            ],
        )
        await recompute_snapshots(
            session,
            [
                (ids["sw0001a"], DAY),
                (ids["fig-003509"], DAY),
                (ids["fig-003509"], DAY + timedelta(1)),
            ],
        )
    return ids


async def _state(db: AsyncSession) -> tuple[Any, ...]:
    figures = (
        await db.execute(
            select(Minifigure.fig_num, Minifigure.rebrickable_id).order_by(Minifigure.fig_num)
        )
    ).all()
    listings = (
        await db.execute(
            select(PriceListing.external_id, PriceListing.minifigure_id).order_by(
                PriceListing.external_id
            )
        )
    ).all()
    snapshots = (
        await db.execute(
            select(
                PriceSnapshot.minifigure_id, PriceSnapshot.day, PriceSnapshot.sold_count
            ).order_by(PriceSnapshot.day)
        )
    ).all()
    merges = (
        await db.execute(
            select(
                MinifigureMerge.merged_fig_num,
                MinifigureMerge.into_fig_num,
                MinifigureMerge.reason,
                MinifigureMerge.listings_moved,
            )
        )
    ).all()
    await db.rollback()
    return figures, listings, snapshots, merges


async def test_a_crosswalk_merges_the_duplicate_once_and_loses_nothing(
    services: Services, db: AsyncSession
) -> None:
    ids = await _duplicated_luke(services)
    luke = ids["sw0001a"]
    rebrickable_luke = CatalogEntry(
        fig_num="fig-003509", name="Luke Skywalker - Tatooine", rebrickable_id="fig-003509"
    )

    async with services.session_factory() as session, session.begin():
        await save_crosswalk(session, {"fig-003509": "sw0001a"})
        first = await import_entries(session, [rebrickable_luke], update_known=False)
    merged = await _state(db)
    async with services.session_factory() as session, session.begin():
        again = await import_entries(session, [rebrickable_luke], update_known=False)

    assert [(m.merged_fig_num, m.into_fig_num, m.listings_moved) for m in first.merges] == [
        ("fig-003509", "sw0001a", 2)
    ]
    assert (first.added, again.added, again.merges) == (0, 0, [])
    figures, listings, snapshots, merges = merged
    assert figures == [("sw0001a", "fig-003509")]
    assert listings == [("a", luke), ("b", luke), ("c", luke), ("d", luke)]
    # The survivor's snapshots are recomputed from all four sales; the other's are gone.
    assert snapshots == [(luke, DAY, 3), (luke, DAY + timedelta(1), 1)]
    assert merges == [("fig-003509", "sw0001a", "crosswalk", 2)]
    assert await _state(db) == merged


async def test_a_merge_moves_rows_of_other_tables_that_point_at_the_figure(
    services: Services, db: AsyncSession
) -> None:
    """A table added later (a watchlist, holdings) moves with the merge, not cascaded away."""
    ids = await _duplicated_luke(services)
    async with services.session_factory() as session, session.begin():
        await session.execute(
            text(
                "CREATE TABLE holdings_probe (id int PRIMARY KEY, minifigure_id uuid NOT NULL "
                "REFERENCES minifigures (id) ON DELETE CASCADE)"
            )
        )
        await session.execute(
            text("INSERT INTO holdings_probe VALUES (1, :id)"), {"id": ids["fig-003509"]}
        )
    try:
        async with services.session_factory() as session, session.begin():
            await save_crosswalk(session, {"fig-003509": "sw0001a"})
            await import_entries(
                session,
                [CatalogEntry(fig_num="fig-003509", name="Luke", rebrickable_id="fig-003509")],
                update_known=False,
            )
        held = await db.scalar(text("SELECT minifigure_id FROM holdings_probe WHERE id = 1"))
        await db.rollback()
    finally:
        async with services.session_factory() as session, session.begin():
            await session.execute(text("DROP TABLE holdings_probe"))

    assert held == ids["sw0001a"]


async def test_a_known_boid_resolves_to_its_figure(services: Services, db: AsyncSession) -> None:
    async with services.session_factory() as session, session.begin():
        await upsert_minifigures(session, [catalog_entry("sw0001a", brickowl_id="771234")])
        outcome = await import_entries(
            session,
            [CatalogEntry(fig_num="luke-tatooine", name="Luke", brickowl_id="771234")],
            update_known=False,
        )

    fig_nums = list(await db.scalars(select(Minifigure.fig_num)))
    assert (outcome.added, fig_nums) == (0, ["sw0001a"])


async def test_the_csv_import_applies_and_stores_the_crosswalk(
    worker_settings: Settings, services: Services, db: AsyncSession
) -> None:
    directory = RECORDINGS / "rebrickable"
    catalog = commands.read_catalog(directory, directory / "crosswalk.csv")

    out = io.StringIO()
    await commands.import_catalog(worker_settings, out, catalog=catalog, directory=directory)

    figures = (
        await db.execute(
            select(Minifigure.fig_num, Minifigure.rebrickable_id).order_by(Minifigure.fig_num)
        )
    ).all()
    stored = (
        await db.execute(text("SELECT rebrickable_id, fig_num FROM catalog_crosswalk ORDER BY 1"))
    ).all()
    assert ("sw0001a", "fig-003509") in figures
    assert ("sp001", "fig-000123") in figures
    assert [fig for fig, _ in figures if fig.startswith(("fig-003509", "fig-000123"))] == []
    assert stored == [("fig-000123", "sp001"), ("fig-003509", "sw0001a")]
    assert "0 duplicates merged" in out.getvalue()


async def test_every_imported_figure_gets_a_picture(services: Services, db: AsyncSession) -> None:
    async with services.session_factory() as session, session.begin():
        await import_entries(
            session,
            [
                CatalogEntry(fig_num="sw0001a", name="Luke"),
                CatalogEntry(
                    fig_num="fig-000001",
                    name="Employee",
                    rebrickable_id="fig-000001",
                    image_url="https://cdn.rebrickable.com/media/sets/fig-000001.jpg",
                ),
                CatalogEntry(fig_num="fig-000002", name="No picture anywhere"),
            ],
            update_known=True,
        )

    images = dict((await db.execute(select(Minifigure.fig_num, Minifigure.image_url))).all())
    assert images == {
        "sw0001a": "https://img.bricklink.com/ItemImage/MN/0/sw0001a.png",
        "fig-000001": "https://cdn.rebrickable.com/media/sets/fig-000001.jpg",
        # A Rebrickable id has no BrickLink item: no picture rather than a broken one.
        "fig-000002": None,
    }
