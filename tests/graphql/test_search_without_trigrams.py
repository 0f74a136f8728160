"""Search on a server without pg_trgm: full text and fig-number prefixes still work."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from server.store.catalog import upsert_minifigures
from server.store.catalog_queries import (
    CatalogFilter,
    CatalogOrder,
    CatalogPageRequest,
    CatalogSort,
    minifigures_page,
)
from tests.factories import catalog_entry


async def _search(session: AsyncSession, words: str) -> list[str]:
    rows = await minifigures_page(
        session,
        CatalogFilter(search=words),
        CatalogOrder(sort=CatalogSort.RELEVANCE, descending=True),
        CatalogPageRequest(limit=10),
        typo_tolerant=False,
    )
    return [row.minifigure.fig_num for row in rows]


async def test_full_text_without_typo_tolerance(session: AsyncSession) -> None:
    await upsert_minifigures(
        session,
        [catalog_entry("sw0001a", name="Luke Skywalker"), catalog_entry("cas001", name="Knight")],
    )

    assert await _search(session, "skywalker") == ["sw0001a"]
    assert await _search(session, "knights") == ["cas001"]
    assert await _search(session, "sw00") == ["sw0001a"]
    assert await _search(session, "skywlker") == []
