"""Daily snapshots: written whole (upsert), read by day range."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Condition, PriceSnapshot


@dataclass(frozen=True, slots=True)
class SnapshotValues:
    minifigure_id: uuid.UUID
    day: date
    condition: Condition
    min_usd: Decimal | None = None
    max_usd: Decimal | None = None
    mean_usd: Decimal | None = None
    median_usd: Decimal | None = None
    p25_usd: Decimal | None = None
    p75_usd: Decimal | None = None
    weighted_mean_usd: Decimal | None = None
    sold_count: int = 0
    ask_count: int = 0
    excluded_count: int = 0
    sold_quantity: int = 0
    sources_count: int = 0
    by_source: dict[str, Any] = field(default_factory=dict)


async def upsert_snapshots(session: AsyncSession, snapshots: Sequence[SnapshotValues]) -> None:
    """Replace each (minifigure, day, condition) row whole, so recomputing is idempotent."""
    if not snapshots:
        return
    rows = [asdict(snapshot) | {"condition": snapshot.condition.value} for snapshot in snapshots]
    statement = insert(PriceSnapshot).values(rows)
    keys = ("minifigure_id", "day", "condition")
    statement = statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: statement.excluded[name] for name in rows[0] if name not in keys}
        | {"computed_at": func.now()},
    )
    await session.execute(statement)


async def snapshots_between(
    session: AsyncSession,
    minifigure_id: uuid.UUID,
    first_day: date,
    last_day: date,
    *,
    condition: Condition | None = None,
) -> Sequence[PriceSnapshot]:
    """Snapshots for days in [first_day, last_day], oldest first."""
    query = (
        select(PriceSnapshot)
        .where(
            PriceSnapshot.minifigure_id == minifigure_id,
            PriceSnapshot.day >= first_day,
            PriceSnapshot.day <= last_day,
        )
        .order_by(PriceSnapshot.day, PriceSnapshot.condition)
    )
    if condition is not None:
        query = query.where(PriceSnapshot.condition == condition.value)
    return (await session.scalars(query)).all()
