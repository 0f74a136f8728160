"""A live tick's listing id is a global id the query side resolves."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from server.events import PriceTick as PriceTickEvent
from server.graphql.types.live import PriceTick
from server.store.catalog import upsert_minifigures
from server.store.listings import insert_listings
from tests.factories import catalog_entry, listing
from tests.graphql.conftest import GraphQLClient


async def test_a_tick_listing_id_resolves_through_node(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    luke = (await upsert_minifigures(committed, [catalog_entry()]))["sw0001a"]
    [stored] = await insert_listings(committed, [listing(luke, "bl-77")])
    await committed.commit()
    event = PriceTickEvent(
        listing_id=stored.id,
        minifigure_id=str(luke),
        fig_num="sw0001a",
        theme="Star Wars",
        source="bricklink",
        kind="SOLD",
        condition="USED",
        price_usd=Decimal("12.50"),
        quantity=1,
        observed_at=stored.observed_at,
        excluded_reason=None,
    )
    tick = PriceTick.from_event("1-0", event)

    body = await gql.execute(
        "query($id: ID!) { node(id: $id) { id ... on Listing { externalId } } }",
        id=str(tick.listing_id),
    )

    assert body["data"]["node"] == {"id": tick.listing_id, "externalId": "bl-77"}
