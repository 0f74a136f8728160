"""DataLoaders, built per request so batching never leaks data across requests."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.dataloader import DataLoader

from server.models import Minifigure
from server.store.catalog import minifigures_by_fig_nums, minifigures_by_ids


@dataclass(slots=True)
class Loaders:
    minifigure_by_id: DataLoader[uuid.UUID, Minifigure | None]
    minifigure_by_fig_num: DataLoader[str, Minifigure | None]


def create_loaders(session_factory: async_sessionmaker[AsyncSession]) -> Loaders:
    async def load_by_ids(ids: Sequence[uuid.UUID]) -> list[Minifigure | None]:
        async with session_factory() as session:
            found = {m.id: m for m in await minifigures_by_ids(session, ids)}
        return [found.get(i) for i in ids]

    async def load_by_fig_nums(fig_nums: Sequence[str]) -> list[Minifigure | None]:
        async with session_factory() as session:
            found = {m.fig_num: m for m in await minifigures_by_fig_nums(session, fig_nums)}
        return [found.get(f) for f in fig_nums]

    return Loaders(
        minifigure_by_id=DataLoader(load_fn=load_by_ids),
        minifigure_by_fig_num=DataLoader(load_fn=load_by_fig_nums),
    )
