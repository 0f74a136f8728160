"""Catalog reads and writes: minifigures keyed by fig number."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Minifigure
from server.store.errors import InvalidRecordError

_FIG_NUM = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def normalize_fig_num(raw: str) -> str:
    fig_num = raw.strip().lower()
    if not _FIG_NUM.match(fig_num):
        raise InvalidRecordError("fig_num", f"{raw!r} is not a fig number such as 'sw0001a'")
    return fig_num


# BrickLink serves a picture of every minifigure under its item number.
BRICKLINK_IMAGE_URL = "https://img.bricklink.com/ItemImage/MN/0/{fig_num}.png"
# Rebrickable's own ids (a figure without a known BrickLink number) have no BrickLink image.
_REBRICKABLE_ID = re.compile(r"^fig-\d+$")


def image_url_for(fig_num: str, image_url: str | None) -> str | None:
    """The catalog's picture: the source's own (Rebrickable's), else BrickLink's."""
    if image_url:
        return image_url
    if _REBRICKABLE_ID.match(fig_num):
        return None
    return BRICKLINK_IMAGE_URL.format(fig_num=fig_num)


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    fig_num: str
    name: str
    theme: str | None = None
    year_released: int | None = None
    num_parts: int | None = None
    image_url: str | None = None
    rebrickable_id: str | None = None
    brickowl_id: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fig_num", normalize_fig_num(self.fig_num))
        if not self.name.strip():
            raise InvalidRecordError("name", "must not be empty")
        if self.year_released is not None and not 1949 <= self.year_released <= 2100:
            raise InvalidRecordError("year_released", f"{self.year_released} is out of range")
        if self.num_parts is not None and self.num_parts < 0:
            raise InvalidRecordError("num_parts", "must not be negative")


async def upsert_minifigures(
    session: AsyncSession, entries: Sequence[CatalogEntry]
) -> dict[str, uuid.UUID]:
    """Insert new entries and update known ones (by fig number); returns fig_num -> id."""
    if not entries:
        return {}
    # The last entry for a fig number wins, as if they had been applied one by one.
    by_fig_num = {entry.fig_num: entry for entry in entries}
    rows = [
        {
            "fig_num": e.fig_num,
            "name": e.name.strip(),
            "theme": e.theme,
            "year_released": e.year_released,
            "num_parts": e.num_parts,
            "image_url": e.image_url,
            "rebrickable_id": e.rebrickable_id,
            "brickowl_id": e.brickowl_id,
            "metadata": e.metadata,
        }
        for e in by_fig_num.values()
    ]
    statement = insert(Minifigure).values(rows)
    excluded = statement.excluded
    upsert = statement.on_conflict_do_update(
        index_elements=[Minifigure.fig_num],
        set_={
            "name": excluded.name,
            "theme": excluded.theme,
            "year_released": excluded.year_released,
            "num_parts": excluded.num_parts,
            "image_url": excluded.image_url,
            "rebrickable_id": func.coalesce(excluded.rebrickable_id, Minifigure.rebrickable_id),
            "brickowl_id": func.coalesce(excluded.brickowl_id, Minifigure.brickowl_id),
            "metadata": excluded["metadata"],
            "updated_at": func.now(),
        },
    ).returning(Minifigure.fig_num, Minifigure.id)
    result = await session.execute(upsert)
    return dict(result.all())


async def minifigure_ids_by_fig_num(
    session: AsyncSession, fig_nums: Sequence[str]
) -> dict[str, uuid.UUID]:
    result = await session.execute(
        select(Minifigure.fig_num, Minifigure.id).where(Minifigure.fig_num.in_(fig_nums))
    )
    return dict(result.all())


async def minifigures_by_ids(
    session: AsyncSession, ids: Sequence[uuid.UUID]
) -> Sequence[Minifigure]:
    result = await session.scalars(select(Minifigure).where(Minifigure.id.in_(ids)))
    return result.all()


async def minifigures_by_fig_nums(
    session: AsyncSession, fig_nums: Sequence[str]
) -> Sequence[Minifigure]:
    result = await session.scalars(select(Minifigure).where(Minifigure.fig_num.in_(fig_nums)))
    return result.all()


async def brickowl_id_of(session: AsyncSession, fig_num: str) -> str | None:
    return await session.scalar(select(Minifigure.brickowl_id).where(Minifigure.fig_num == fig_num))


_REMEMBER_BOID = text(
    """
    UPDATE minifigures SET brickowl_id = :boid, updated_at = now()
    WHERE fig_num = :fig_num AND brickowl_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM minifigures WHERE brickowl_id = :boid)
    """
)


async def remember_brickowl_id(session: AsyncSession, fig_num: str, boid: str) -> None:
    """Stores a looked-up BOID unless the figure has one or another figure holds it."""
    await session.execute(_REMEMBER_BOID, {"fig_num": fig_num, "boid": boid})
