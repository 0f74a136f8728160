"""Deals, the asks behind them per source, and seller bundles, as the API shows them."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from urllib.parse import urlsplit

import strawberry
from strawberry.types import Info

from server.graphql.context import Context
from server.graphql.money import MONEY, CurrencyArgument, money
from server.graphql.types.connections import Connection
from server.graphql.types.enums import Condition
from server.graphql.types.listing import Listing
from server.graphql.types.minifigure import Minifigure
from server.store.deals import DealRow, SourceAsks, discount_pct
from server.store.prices_queries import ListingRow
from server.store.seller_bundles import BundleAsk
from server.store.seller_bundles import SellerBundle as SellerBundleRow

_PERCENT = Decimal("0.01")


def web_page(url: str | None) -> str | None:
    """The offer's page only when it is an http(s) address: a payload's `javascript:`
    would otherwise become a link in every client."""
    if url is None:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


async def _minifigure(info: Info[Context, None], listing: ListingRow) -> Minifigure:
    row = await info.context.loaders.minifigure_by_id.load(listing.minifigure_id)
    assert row is not None  # listings go with their minifigure
    return Minifigure.from_row(row)


@strawberry.type(description="One source's current asks for a figure in one condition.")
class SourceSpread:
    row: strawberry.Private[SourceAsks]

    @strawberry.field(description="The data source code, e.g. `ebay`.")
    def source(self) -> str:
        return self.row.source

    @strawberry.field(description="How many offers it has now (each offer once).")
    def asks(self) -> int:
        return self.row.asks

    @strawberry.field(graphql_type=MONEY, description="Its cheapest current ask.")
    def lowest(self, info: Info[Context, None], currency: CurrencyArgument = "USD") -> object:
        return money(info, self.row.lowest_usd, datetime.now(UTC).date(), currency)

    @strawberry.field(graphql_type=MONEY, description="Its dearest current ask.")
    def highest(self, info: Info[Context, None], currency: CurrencyArgument = "USD") -> object:
        return money(info, self.row.highest_usd, datetime.now(UTC).date(), currency)


@strawberry.type(
    description="A current ask at least the asked discount under its figure's sold median "
    "(the median of the counted sales of the last 30 days, same condition)."
)
class Deal:
    row: strawberry.Private[DealRow]

    @strawberry.field(description="The ask: an offer as last seen.")
    def listing(self) -> Listing:
        return Listing.from_row(self.row.listing)

    @strawberry.field(description="The offer's page at its source; null when it gives none.")
    def url(self) -> str | None:
        return web_page(self.row.url)

    @strawberry.field(description="The minifigure offered.")
    async def minifigure(self, info: Info[Context, None]) -> Minifigure:
        return await _minifigure(info, self.row.listing)

    @strawberry.field(description="The condition of the offer (and of the sales compared).")
    def condition(self) -> Condition:
        return Condition[self.row.listing.condition]

    @strawberry.field(graphql_type=MONEY, description="The asking unit price.")
    def ask(self, info: Info[Context, None], currency: CurrencyArgument = "USD") -> object:
        listing = self.row.listing
        return money(info, listing.price_usd, listing.observed_at.date(), currency)

    @strawberry.field(graphql_type=MONEY, description="The sold median it is compared with.")
    def sold_median(self, info: Info[Context, None], currency: CurrencyArgument = "USD") -> object:
        return money(info, self.row.sold_median_usd, self.row.listing.observed_at.date(), currency)

    @strawberry.field(description="How far under the sold median, in percent (2 decimals).")
    def discount_pct(self) -> float:
        return float(self.row.discount_pct.quantize(_PERCENT, rounding=ROUND_HALF_EVEN))

    @strawberry.field(
        description="The figure's current asks in this condition by source, cheapest first."
    )
    async def spread(self, info: Info[Context, None]) -> list[SourceSpread]:
        listing = self.row.listing
        found = await info.context.loaders.ask_spread.load(
            (listing.minifigure_id, listing.condition)
        )
        return [SourceSpread(row=row) for row in found]


@strawberry.type(description="A page of deals, biggest discount first.")
class DealConnection(Connection[Deal]):
    pass


@strawberry.type(description="A deal pushed live: an ask just stored that qualifies.")
class DealFound:
    event_id: str = strawberry.field(
        description="The event's id in the replay log; pass the last one you received as "
        "`since` when you resubscribe to get what you missed."
    )
    listing_id: strawberry.Private[int]
    sold_median_usd: strawberry.Private[Decimal]

    @strawberry.field(description="The deal; null if its listing is gone since.")
    async def deal(self, info: Info[Context, None]) -> Deal | None:
        found = await info.context.loaders.deal_listing.load(self.listing_id)
        if found is None:
            return None
        listing, url = found
        discount = discount_pct(listing.price_usd, self.sold_median_usd)
        return Deal(row=DealRow(listing, url, self.sold_median_usd, discount))


@strawberry.type(description="A seller's cheapest current ask for one of your watchlist items.")
class BundleItem:
    ask_row: strawberry.Private[BundleAsk]

    @strawberry.field(description="The ask.")
    def listing(self) -> Listing:
        return Listing.from_row(self.ask_row.listing)

    @strawberry.field(description="The offer's page at its source; null when it gives none.")
    def url(self) -> str | None:
        return web_page(self.ask_row.url)

    @strawberry.field(description="The minifigure.")
    async def minifigure(self, info: Info[Context, None]) -> Minifigure:
        return await _minifigure(info, self.ask_row.listing)

    @strawberry.field(description="The condition you watch it in.")
    def condition(self) -> Condition:
        return Condition[self.ask_row.listing.condition]

    @strawberry.field(graphql_type=MONEY, description="The asking unit price.")
    def price(self, info: Info[Context, None], currency: CurrencyArgument = "USD") -> object:
        listing = self.ask_row.listing
        return money(info, listing.price_usd, listing.observed_at.date(), currency)


@strawberry.type(
    description="One seller (a name on one source) whose current asks cover several of "
    "your watchlist items: one order, one shipping."
)
class SellerBundle:
    row: strawberry.Private[SellerBundleRow]

    @strawberry.field(description="The data source code, e.g. `ebay`.")
    def source(self) -> str:
        return self.row.source

    @strawberry.field(description="The seller's name on that source.")
    def seller_name(self) -> str:
        return self.row.seller_name

    @strawberry.field(description="The seller's country (ISO 3166 alpha-2), when known.")
    def seller_country(self) -> str | None:
        return self.row.seller_country

    @strawberry.field(description="How many of your watchlist items it covers.")
    def figures_covered(self) -> int:
        return len(self.row.asks)

    @strawberry.field(description="Its cheapest ask for each item covered, cheapest first.")
    def items(self) -> list[BundleItem]:
        return [BundleItem(ask_row=ask) for ask in self.row.asks]

    @strawberry.field(
        graphql_type=MONEY, description="The sum of those asks (one unit each), shipping aside."
    )
    def total(self, info: Info[Context, None], currency: CurrencyArgument = "USD") -> object:
        return money(info, self.row.total_usd, datetime.now(UTC).date(), currency)
