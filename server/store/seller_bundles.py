"""Seller bundles: one seller whose current asks cover several of a watchlist's items.

Buying them in one order pays one shipping. A seller is a name on one source (the same
name on two marketplaces is two shops); asks without a seller name (BrickLink's price
guide) cannot be bundled. For each item the seller's cheapest current ask counts; bundles
rank by the number of items covered, then by their total, cheapest first.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import func, select, true
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import PriceListing, WatchlistItem
from server.store.deals import latest_sightings, sighting_bounds
from server.store.prices_queries import ListingRow
from server.store.statements import fixed_limit

MIN_BUNDLE_ITEMS = 2


class BundleAsk(NamedTuple):
    watchlist_item_id: uuid.UUID
    listing: ListingRow
    url: str | None


@dataclass(slots=True)
class SellerBundle:
    source: str
    seller_name: str
    total_usd: Decimal
    asks: list[BundleAsk] = field(default_factory=list)

    @property
    def seller_country(self) -> str | None:
        return next((a.listing.seller_country for a in self.asks if a.listing.seller_country), None)


async def seller_bundles(
    session: AsyncSession, account_id: uuid.UUID, *, limit: int, now: datetime
) -> list[SellerBundle]:
    """The best `limit` bundles for the account's watchlist: one statement."""
    items = (
        select(WatchlistItem.id, WatchlistItem.minifigure_id, WatchlistItem.condition)
        .where(WatchlistItem.account_id == account_id)
        .subquery("items")
    )
    latest = latest_sightings(
        PriceListing.minifigure_id == items.c.minifigure_id,
        PriceListing.condition == items.c.condition,
        PriceListing.seller_name.is_not(None),
    ).lateral("latest")
    offers = (
        select(items.c.id.label("item_id"), *latest.c)
        .select_from(items.join(latest, true()))
        .cte("offers")
    )
    # Per seller and item, the seller's cheapest offer.
    cheapest = (
        select(offers)
        .ext(distinct_on(offers.c.source, offers.c.seller_name, offers.c.item_id))
        .order_by(offers.c.source, offers.c.seller_name, offers.c.item_id, offers.c.price_usd)
        .cte("cheapest")
    )
    covered = func.count().label("covered")
    total = func.sum(cheapest.c.price_usd).label("total")
    sellers = (
        select(cheapest.c.source, cheapest.c.seller_name, covered, total)
        .group_by(cheapest.c.source, cheapest.c.seller_name)
        .having(func.count() >= MIN_BUNDLE_ITEMS)
        .order_by(covered.desc(), total, cheapest.c.source, cheapest.c.seller_name)
        .limit(fixed_limit(limit))
        .cte("sellers")
    )
    query = (
        select(
            sellers.c.total,
            cheapest.c.item_id,
            *[cheapest.c[name] for name in ListingRow._fields],
            cheapest.c.url,
        )
        .select_from(
            sellers.join(
                cheapest,
                (cheapest.c.source == sellers.c.source)
                & (cheapest.c.seller_name == sellers.c.seller_name),
            )
        )
        .order_by(
            sellers.c.covered.desc(),
            sellers.c.total,
            sellers.c.source,
            sellers.c.seller_name,
            cheapest.c.price_usd,
            cheapest.c.item_id,
        )
    )
    bundles: dict[tuple[str, str], SellerBundle] = {}
    for row in await session.execute(query, sighting_bounds(now)):
        listing = ListingRow._make(row[2:-1])
        assert listing.seller_name is not None
        bundle = bundles.setdefault(
            (listing.source, listing.seller_name),
            SellerBundle(source=listing.source, seller_name=listing.seller_name, total_usd=row[0]),
        )
        bundle.asks.append(BundleAsk(row[1], listing, row[-1]))
    return list(bundles.values())
