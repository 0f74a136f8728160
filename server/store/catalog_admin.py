"""Catalog administration: create, update and delete one minifigure, set its external ids.

Values are validated by the same rules as catalog imports (`CatalogEntry`). A value that
another minifigure already holds raises `DuplicateValueError`; nothing is written then.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Minifigure
from server.store.catalog import CatalogEntry, image_url_for
from server.store.errors import StoreError

# Unique constraint -> the field it protects.
_UNIQUE_FIELDS = {
    "uq_minifigures_fig_num": "fig_num",
    "uq_minifigures_rebrickable_id": "rebrickable_id",
    "uq_minifigures_brickowl_id": "brickowl_id",
}
EDITABLE_FIELDS = frozenset({"name", "theme", "year_released", "num_parts", "image_url"})


class DuplicateValueError(StoreError):
    code = "DUPLICATE"

    def __init__(self, field: str) -> None:
        super().__init__(f"{field}: another minifigure already has this value")
        self.field = field


def _duplicate_of(error: IntegrityError) -> DuplicateValueError | None:
    message = str(error.orig)
    for constraint, field in _UNIQUE_FIELDS.items():
        if constraint in message:
            return DuplicateValueError(field)
    return None


async def _flush(session: AsyncSession) -> None:
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as error:
        duplicate = _duplicate_of(error)
        if duplicate is None:
            raise
        raise duplicate from error


async def create_minifigure(session: AsyncSession, entry: CatalogEntry) -> Minifigure:
    row = Minifigure(
        fig_num=entry.fig_num,
        name=entry.name.strip(),
        theme=entry.theme,
        year_released=entry.year_released,
        num_parts=entry.num_parts,
        image_url=image_url_for(entry.fig_num, entry.image_url),
        rebrickable_id=entry.rebrickable_id,
        brickowl_id=entry.brickowl_id,
        extra=entry.metadata,
    )
    session.add(row)
    await _flush(session)
    await session.refresh(row)
    return row


async def update_minifigure(
    session: AsyncSession, minifigure_id: uuid.UUID, changes: dict[str, Any]
) -> Minifigure | None:
    """Applies `changes` (a subset of EDITABLE_FIELDS); None when there is no such id."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    row = await session.scalar(select(Minifigure).where(Minifigure.id == minifigure_id))
    if row is None:
        return None
    current = {name: getattr(row, name) for name in EDITABLE_FIELDS}
    # Validates the result as a whole, with the rules imports follow.
    entry = CatalogEntry(fig_num=row.fig_num, **(current | changes))
    for name in EDITABLE_FIELDS:
        setattr(row, name, getattr(entry, name))
    row.name = entry.name.strip()
    row.updated_at = func.now()
    await _flush(session)
    await session.refresh(row)
    return row


async def set_external_ids(
    session: AsyncSession,
    minifigure_id: uuid.UUID,
    changes: dict[str, str | None],
) -> Minifigure | None:
    """Sets `rebrickable_id` and/or `brickowl_id` (None clears); None when there is no such id."""
    row = await session.scalar(select(Minifigure).where(Minifigure.id == minifigure_id))
    if row is None:
        return None
    for name, value in changes.items():
        if name not in ("rebrickable_id", "brickowl_id"):
            raise ValueError(f"not an external id: {name}")
        setattr(row, name, value.strip() if value else None)
    row.updated_at = func.now()
    await _flush(session)
    await session.refresh(row)
    return row


async def delete_minifigure(session: AsyncSession, minifigure_id: uuid.UUID) -> bool:
    """Deletes the minifigure with its prices; False when there is no such id."""
    result = await session.execute(
        delete(Minifigure).where(Minifigure.id == minifigure_id).returning(Minifigure.id)
    )
    return result.first() is not None
