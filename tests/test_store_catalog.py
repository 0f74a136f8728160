from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Minifigure
from server.store.catalog import minifigure_ids_by_fig_num, upsert_minifigures
from server.store.errors import InvalidRecordError
from tests.factories import catalog_entry


async def test_upsert_inserts_then_updates_by_fig_num(session: AsyncSession) -> None:
    first = await upsert_minifigures(session, [catalog_entry("SW0001A ")])
    second = await upsert_minifigures(
        session, [catalog_entry("sw0001a", name="Luke Skywalker (Tatooine, 2nd print)")]
    )

    assert first == second
    assert list(first) == ["sw0001a"]
    stored = await session.scalar(select(Minifigure).where(Minifigure.fig_num == "sw0001a"))
    assert stored is not None
    assert stored.name == "Luke Skywalker (Tatooine, 2nd print)"
    assert await session.scalar(select(func.count()).select_from(Minifigure)) == 1


async def test_upsert_keeps_known_external_ids_when_an_update_lacks_them(
    session: AsyncSession,
) -> None:
    await upsert_minifigures(session, [catalog_entry(rebrickable_id="fig-000001")])
    await upsert_minifigures(session, [catalog_entry(rebrickable_id=None, brickowl_id="736")])

    stored = await session.scalar(select(Minifigure))
    assert stored is not None
    assert (stored.rebrickable_id, stored.brickowl_id) == ("fig-000001", "736")


async def test_lookup_by_fig_num_returns_only_known(session: AsyncSession) -> None:
    ids = await upsert_minifigures(session, [catalog_entry("sw0001a"), catalog_entry("cty0001")])

    found = await minifigure_ids_by_fig_num(session, ["cty0001", "nope0001"])

    assert found == {"cty0001": ids["cty0001"]}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"fig_num": "sw 0001"}, "fig_num"),
        ({"name": "  "}, "name"),
        ({"year_released": 1820}, "year_released"),
        ({"num_parts": -1}, "num_parts"),
    ],
)
def test_invalid_catalog_entries_are_refused(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidRecordError) as refused:
        catalog_entry(**overrides)
    assert refused.value.field == field
