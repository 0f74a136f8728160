"""BrickOwl's BOIDs remembered on the catalog rows, so each is looked up only once."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.store.catalog import brickowl_id_of, remember_brickowl_id


class CatalogBoids:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    async def boid_of(self, fig_num: str) -> str | None:
        async with self._session_factory() as session:
            return await brickowl_id_of(session, fig_num)

    async def remember(self, fig_num: str, boid: str) -> None:
        async with self._session_factory() as session, session.begin():
            await remember_brickowl_id(session, fig_num, boid)
