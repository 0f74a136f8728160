"""Reads the collection schedule needs: the catalog walked in fig-number order."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Minifigure


async def fig_nums_after(session: AsyncSession, after: str | None, limit: int) -> list[str]:
    """Up to `limit` fig numbers following `after` (keyset), from the start when None."""
    query = select(Minifigure.fig_num).order_by(Minifigure.fig_num).limit(limit)
    if after is not None:
        query = query.where(Minifigure.fig_num > after)
    return list(await session.scalars(query))
