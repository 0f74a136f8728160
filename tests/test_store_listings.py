from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Condition, ListingKind, PriceListing
from server.store.catalog import upsert_minifigures
from server.store.errors import InvalidRecordError, UnknownMinifigureError
from server.store.listings import insert_listings
from server.store.prices_queries import ListingFilter, listing_pages
from tests.factories import catalog_entry, listing

T0 = datetime(2026, 11, 1, tzinfo=UTC)


async def _count_listings(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(PriceListing)) or 0)


@pytest.fixture
async def luke(session: AsyncSession) -> uuid.UUID:
    return (await upsert_minifigures(session, [catalog_entry("sw0001a")]))["sw0001a"]


async def test_the_same_listing_twice_leaves_one_row(
    session: AsyncSession, luke: uuid.UUID
) -> None:
    first = await insert_listings(session, [listing(luke)])
    second = await insert_listings(session, [listing(luke)])

    assert len(first) == 1
    assert second == []
    assert await _count_listings(session) == 1


async def test_duplicates_inside_one_batch_are_stored_once(
    session: AsyncSession, luke: uuid.UUID
) -> None:
    stored = await insert_listings(session, [listing(luke), listing(luke), listing(luke, "bl-2")])

    assert sorted(row.external_id for row in stored) == ["bl-1", "bl-2"]
    assert await _count_listings(session) == 2


async def test_same_external_id_at_another_time_is_a_new_observation(
    session: AsyncSession, luke: uuid.UUID
) -> None:
    await insert_listings(session, [listing(luke, observed_at=T0)])
    await insert_listings(session, [listing(luke, observed_at=T0 + timedelta(days=1))])

    assert await _count_listings(session) == 2


async def test_unknown_minifigure_rejects_the_whole_batch(
    session: AsyncSession, luke: uuid.UUID
) -> None:
    stranger = uuid.uuid4()

    with pytest.raises(UnknownMinifigureError) as refused:
        await insert_listings(session, [listing(luke, "ok"), listing(stranger, "bad")])

    assert refused.value.minifigure_ids == [stranger]
    assert str(stranger) in str(refused.value)
    assert refused.value.code == "UNKNOWN_MINIFIGURE"
    assert await _count_listings(session) == 0


async def test_stored_values_round_trip(session: AsyncSession, luke: uuid.UUID) -> None:
    await insert_listings(
        session,
        [listing(luke, shipping_usd=Decimal("3.99"), seller_country="DE", raw={"qty": 1})],
    )

    [row] = (await session.scalars(select(PriceListing))).all()
    assert (row.price_usd, row.original_price, row.original_currency) == (
        Decimal("12.50"),
        Decimal("11.4000"),
        "EUR",
    )
    assert row.shipping_usd == Decimal("3.99")
    assert row.raw == {"qty": 1}
    assert row.ingested_at is not None


async def test_listing_pages_filter_range_kind_condition_and_exclusions(
    session: AsyncSession, luke: uuid.UUID
) -> None:
    await insert_listings(
        session,
        [
            listing(luke, "in-sold", observed_at=T0 + timedelta(days=1)),
            listing(luke, "in-ask", observed_at=T0 + timedelta(days=2), kind=ListingKind.ASK),
            listing(luke, "in-new", observed_at=T0 + timedelta(days=3), condition=Condition.NEW),
            listing(luke, "in-lot", observed_at=T0 + timedelta(days=4), excluded_reason="lot"),
            listing(luke, "before", observed_at=T0 - timedelta(seconds=1)),
            listing(luke, "at-end", observed_at=T0 + timedelta(days=10)),
        ],
    )
    end = T0 + timedelta(days=10)

    async def ids(**conditions: Any) -> list[str]:
        pages = await listing_pages(
            session, [luke], ListingFilter(start=T0, end=end, **conditions), after=None, limit=50
        )
        return [row.external_id for row in pages[luke]]

    everything = await ids(include_excluded=True)
    visible = await ids()
    used_sold = await ids(kind=ListingKind.SOLD, condition=Condition.USED)

    assert everything == ["in-lot", "in-new", "in-ask", "in-sold"]
    assert visible == ["in-new", "in-ask", "in-sold"]
    assert used_sold == ["in-sold"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"price_usd": Decimal("-1")}, "price_usd"),
        ({"price_usd": Decimal("NaN")}, "price_usd"),
        ({"quantity": 0}, "quantity"),
        ({"original_currency": "euro"}, "original_currency"),
        ({"fx_rate": Decimal("0")}, "fx_rate"),
        ({"observed_at": datetime(2026, 11, 1)}, "observed_at"),
        ({"confidence": 1.5}, "confidence"),
        ({"external_id": ""}, "external_id"),
    ],
)
def test_invalid_listings_are_refused(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidRecordError) as refused:
        listing(uuid.uuid4(), **overrides)
    assert refused.value.field == field
