"""One identity per figure: every import path resolves external ids here before writing.

A figure is known to the catalogs by several ids: BrickLink's item number (the
catalog's `fig_num`), Rebrickable's fig id (`fig-003509`) and BrickOwl's BOID. The
resolver maps an incoming entry to the catalog row that already holds one of its ids,
in this order of trust:

1. the stored crosswalk (Rebrickable id -> BrickLink item number, from
   `stonks import-catalog --crosswalk`), so the nightly API sync keys Luke `sw0001a`
   like the CSV import did;
2. the row that already holds the entry's Rebrickable id;
3. the row that already holds the entry's BOID;
4. the entry's own fig number.

When that reveals two rows for one figure (a row under the Rebrickable id and one
under the BrickLink number), the first is merged into the second: its listings move,
the survivor's snapshots are recomputed, its external ids carry over, and the merge is
recorded in `minifigure_merges`. Merging is idempotent: once merged, nothing is left
to merge.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import delete, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import CrosswalkEntry, Minifigure, MinifigureMerge
from server.store.aggregation import recompute_snapshots
from server.store.catalog import (
    CatalogEntry,
    image_url_for,
    minifigure_ids_by_fig_num,
    normalize_fig_num,
    upsert_minifigures,
)


@dataclass(frozen=True, slots=True)
class _Row:
    id: uuid.UUID
    fig_num: str
    rebrickable_id: str | None
    brickowl_id: str | None


@dataclass(frozen=True, slots=True)
class Merge:
    merged_fig_num: str
    into_fig_num: str
    listings_moved: int


async def save_crosswalk(session: AsyncSession, crosswalk: Mapping[str, str]) -> None:
    """Stores (or corrects) Rebrickable id -> BrickLink item number pairs."""
    if not crosswalk:
        return
    rows = [
        {"rebrickable_id": rid, "fig_num": normalize_fig_num(fig)} for rid, fig in crosswalk.items()
    ]
    statement = insert(CrosswalkEntry).values(rows)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[CrosswalkEntry.rebrickable_id],
            set_={"fig_num": statement.excluded.fig_num, "updated_at": func.now()},
        )
    )


async def _crosswalk(session: AsyncSession, rebrickable_ids: list[str]) -> dict[str, str]:
    if not rebrickable_ids:
        return {}
    result = await session.execute(
        select(CrosswalkEntry.rebrickable_id, CrosswalkEntry.fig_num).where(
            CrosswalkEntry.rebrickable_id.in_(rebrickable_ids)
        )
    )
    return {row[0]: row[1] for row in result}


async def _rows(
    session: AsyncSession, fig_nums: set[str], rebrickable_ids: set[str], boids: set[str]
) -> list[_Row]:
    m = Minifigure
    result = await session.execute(
        select(m.id, m.fig_num, m.rebrickable_id, m.brickowl_id).where(
            or_(
                m.fig_num.in_(fig_nums),
                m.rebrickable_id.in_(rebrickable_ids),
                m.brickowl_id.in_(boids),
            )
        )
    )
    return [_Row(*row) for row in result]


async def resolve_entries(
    session: AsyncSession, entries: Sequence[CatalogEntry]
) -> tuple[list[CatalogEntry], list[Merge]]:
    """Entries re-keyed to the fig number of the figure they are; duplicates found on the
    way are merged first. Call before writing the entries, in the same transaction."""
    rids = sorted({e.rebrickable_id for e in entries if e.rebrickable_id})
    crosswalk = await _crosswalk(session, rids)
    boids = {e.brickowl_id for e in entries if e.brickowl_id}
    fig_nums = {e.fig_num for e in entries} | set(crosswalk.values())
    rows = await _rows(session, fig_nums, set(rids), boids)
    by_fig = {r.fig_num: r for r in rows}
    by_rid = {r.rebrickable_id: r for r in rows if r.rebrickable_id}
    by_boid = {r.brickowl_id: r for r in rows if r.brickowl_id}

    resolved: list[CatalogEntry] = []
    merges: list[Merge] = []
    for entry in entries:
        holder = by_rid.get(entry.rebrickable_id or "") or by_boid.get(entry.brickowl_id or "")
        target = crosswalk.get(entry.rebrickable_id or "") or (
            holder.fig_num if holder else entry.fig_num
        )
        kept = by_fig.get(target)
        if holder is not None and holder.fig_num != target:
            if kept is None:
                await _rename(session, holder, target)
                kept = replace(holder, fig_num=target)
            else:
                merges.append(await merge_into(session, drop=holder, keep=kept, reason="crosswalk"))
            by_fig.pop(holder.fig_num, None)
            by_fig[target] = kept
            for index in (by_rid, by_boid):
                for key, row in list(index.items()):
                    if row.id == holder.id:
                        index[key] = kept
        resolved.append(replace(entry, fig_num=target))
    return resolved, merges


async def _rename(session: AsyncSession, row: _Row, fig_num: str) -> None:
    await session.execute(
        update(Minifigure)
        .where(Minifigure.id == row.id)
        .values(fig_num=fig_num, updated_at=func.now())
    )


_DAYS_OF = text(
    """
    SELECT DISTINCT (observed_at AT TIME ZONE 'UTC')::date
    FROM price_listings WHERE minifigure_id = :id
    """
)


# Every other table that points at a minifigure (watchlists, holdings, ...), found in the
# catalog so that tables added later move too instead of being cascaded away.
_REFERENCES = text(
    """
    SELECT c.conrelid::regclass::text, quote_ident(a.attname)
    FROM pg_constraint AS c
    JOIN pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    WHERE c.contype = 'f' AND c.confrelid = 'minifigures'::regclass
      AND cardinality(c.conkey) = 1
      AND c.conrelid NOT IN ('price_listings'::regclass, 'price_snapshots'::regclass)
      -- TimescaleDB chunks inherit their hypertable's keys; the hypertable covers them.
      AND NOT EXISTS (SELECT 1 FROM pg_inherits AS i WHERE i.inhrelid = c.conrelid)
    ORDER BY 1, 2
    """
)


async def _move_other_references(session: AsyncSession, drop: uuid.UUID, keep: uuid.UUID) -> None:
    """A unique clash (both rows on one watchlist) fails the merge: nothing is lost."""
    for table, column in (await session.execute(_REFERENCES)).all():
        await session.execute(
            text(f"UPDATE {table} SET {column} = :keep WHERE {column} = :drop"),  # noqa: S608
            {"keep": keep, "drop": drop},
        )


async def merge_into(session: AsyncSession, *, drop: _Row, keep: _Row, reason: str) -> Merge:
    """Folds `drop` into `keep`: listings move (nothing lost), snapshots are recomputed for
    every day they touched, external ids carry over, and the merge is recorded."""
    days: list[date] = list(await session.scalars(_DAYS_OF, {"id": drop.id}))
    moved = await session.execute(
        text("UPDATE price_listings SET minifigure_id = :keep WHERE minifigure_id = :drop"),
        {"keep": keep.id, "drop": drop.id},
    )
    # The dropped row's ids are released before the survivor takes them (unique columns).
    await session.execute(
        update(Minifigure)
        .where(Minifigure.id == drop.id)
        .values(rebrickable_id=None, brickowl_id=None)
    )
    await session.execute(
        update(Minifigure)
        .where(Minifigure.id == keep.id)
        .values(
            rebrickable_id=func.coalesce(Minifigure.rebrickable_id, drop.rebrickable_id),
            brickowl_id=func.coalesce(Minifigure.brickowl_id, drop.brickowl_id),
            updated_at=func.now(),
        )
    )
    await _move_other_references(session, drop.id, keep.id)
    listings_moved = int(getattr(moved, "rowcount", 0) or 0)
    session.add(
        MinifigureMerge(
            merged_id=drop.id,
            merged_fig_num=drop.fig_num,
            into_id=keep.id,
            into_fig_num=keep.fig_num,
            reason=reason,
            listings_moved=listings_moved,
        )
    )
    # The dropped row's snapshots go with it; the survivor's are recomputed from all listings.
    await session.execute(delete(Minifigure).where(Minifigure.id == drop.id))
    await session.flush()
    await recompute_snapshots(session, [(keep.id, day) for day in days])
    return Merge(drop.fig_num, keep.fig_num, listings_moved)


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    added: int
    merges: list[Merge]


_FILL_IDS = text(
    """
    UPDATE minifigures AS m
    SET rebrickable_id = coalesce(m.rebrickable_id, v.rebrickable_id),
        brickowl_id = coalesce(m.brickowl_id, v.brickowl_id),
        image_url = coalesce(m.image_url, v.image_url),
        updated_at = now()
    FROM unnest(CAST(:fig_nums AS text[]), CAST(:rebrickable_ids AS text[]),
                CAST(:brickowl_ids AS text[]), CAST(:image_urls AS text[]))
         AS v(fig_num, rebrickable_id, brickowl_id, image_url)
    WHERE m.fig_num = v.fig_num
      AND (m.rebrickable_id IS NULL AND v.rebrickable_id IS NOT NULL
           OR m.brickowl_id IS NULL AND v.brickowl_id IS NOT NULL
           OR m.image_url IS NULL AND v.image_url IS NOT NULL)
    """
)


async def import_entries(
    session: AsyncSession, entries: Sequence[CatalogEntry], *, update_known: bool
) -> ImportOutcome:
    """The one way catalog entries enter the catalog (CSV, API, demo seed).

    `update_known=False` adds the figures the catalog lacks and only fills in the external
    ids and image a known figure is missing (catalog edits are kept).
    """
    resolved, merges = await resolve_entries(session, entries)
    resolved = [replace(e, image_url=image_url_for(e.fig_num, e.image_url)) for e in resolved]
    if update_known:
        known: set[str] = set()
    else:
        known = set(await minifigure_ids_by_fig_num(session, [e.fig_num for e in resolved]))
    missing = [e for e in resolved if e.fig_num not in known]
    await upsert_minifigures(session, missing)
    filled = [e for e in resolved if e.fig_num in known]
    if filled:
        await session.execute(
            _FILL_IDS,
            {
                "fig_nums": [e.fig_num for e in filled],
                "rebrickable_ids": [e.rebrickable_id for e in filled],
                "brickowl_ids": [e.brickowl_id for e in filled],
                "image_urls": [e.image_url for e in filled],
            },
        )
    return ImportOutcome(added=len({e.fig_num for e in missing}), merges=merges)
