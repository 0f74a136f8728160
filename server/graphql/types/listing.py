"""One observed price (a sale or an ask), as stored, with why it was excluded if it was."""

from __future__ import annotations

from datetime import datetime
from operator import attrgetter
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from server.graphql.context import Context
from server.graphql.json_pages import Encoding, LeafReaders, column
from server.graphql.money import MONEY, CurrencyArgument, money, usd_leaf, usd_reader
from server.graphql.node import to_global_id
from server.graphql.series import Readers, plain
from server.graphql.types.enums import Condition, ListingKind
from server.graphql.types.node import Node
from server.store.prices_queries import ListingRow

if TYPE_CHECKING:
    from server.graphql.types.minifigure import Minifigure

USD = "USD"


@strawberry.type(description="One observed price: a sale (SOLD) or an asking price (ASK).")
class Listing(Node):
    row: strawberry.Private[ListingRow]

    @classmethod
    def from_row(cls, row: ListingRow) -> Listing:
        return cls(row=row, id=strawberry.ID(to_global_id("Listing", row.id)))

    @strawberry.field(description="The minifigure observed.")
    async def minifigure(
        self, info: Info[Context, None]
    ) -> Annotated[Minifigure, strawberry.lazy("server.graphql.types.minifigure")] | None:
        # Imported here: the minifigure module imports this one for its `listings` field.
        from server.graphql.types.minifigure import Minifigure

        found = await info.context.loaders.minifigure_by_id.load(self.row.minifigure_id)
        return Minifigure.from_row(found) if found else None

    @strawberry.field(description="The data source code, e.g. `bricklink`.")
    def source(self) -> str:
        return self.row.source

    @strawberry.field(description="The source's own id of the sale or offer.")
    def external_id(self) -> str:
        return self.row.external_id

    @strawberry.field(description="The sale date (SOLD) or when the ask was seen (ASK).")
    def observed_at(self) -> datetime:
        return self.row.observed_at

    @strawberry.field(description="A sale or an ask.")
    def kind(self) -> ListingKind:
        return ListingKind[self.row.kind]

    @strawberry.field(description="The condition.")
    def condition(self) -> Condition:
        return Condition[self.row.condition]

    @strawberry.field(description="Units in the sale or offer; the price is per unit.")
    def quantity(self) -> int:
        return self.row.quantity

    @strawberry.field(graphql_type=MONEY, description="The unit price.")
    def price(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.price_usd, self.row.observed_at.date(), currency)

    @strawberry.field(graphql_type=MONEY, description="The shipping cost, when known.")
    def shipping(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.shipping_usd, self.row.observed_at.date(), currency)

    @strawberry.field(description="The unit price as the source stated it, in `originalCurrency`.")
    def original_price(self) -> float:
        return float(self.row.original_price)

    @strawberry.field(description="The currency the source stated the price in.")
    def original_currency(self) -> str:
        return self.row.original_currency

    @strawberry.field(
        description="The exchange rate used to convert `originalPrice` to USD: USD per unit "
        "of `originalCurrency` on the observation day (ECB reference rate, or the closest "
        "earlier one); 1 for USD."
    )
    def fx_rate(self) -> float:
        return float(self.row.fx_rate)

    @strawberry.field(description="The seller's name, when the source tells.")
    def seller_name(self) -> str | None:
        return self.row.seller_name

    @strawberry.field(description="The seller's country (ISO 3166 alpha-2), when known.")
    def seller_country(self) -> str | None:
        return self.row.seller_country

    @strawberry.field(description="How sure the matching to this minifigure is, 0 to 1.")
    def confidence(self) -> float:
        return self.row.confidence

    @strawberry.field(
        description="Why this observation is left out of statistics (e.g. `lot`, `outlier`); "
        "null when it counts."
    )
    def excluded_reason(self) -> str | None:
        return self.row.excluded_reason


# How `Listing`'s fields read a ListingRow when a page is completed in one pass
# (server/graphql/series.py): the same values as the resolvers above. `minifigure`
# has no reader: selecting it completes the page the ordinary way.
LISTING_READERS: Readers = {
    "id": plain(lambda row: to_global_id("Listing", row.id)),
    "observedAt": plain(lambda row: row.observed_at.isoformat()),
    "price": usd_reader("price_usd"),
    "shipping": usd_reader("shipping_usd"),
    "originalPrice": plain(lambda row: float(row.original_price)),
    **{
        field: plain(attrgetter(column))
        for field, column in (
            ("source", "source"),
            ("externalId", "external_id"),
            ("kind", "kind"),
            ("condition", "condition"),
            ("quantity", "quantity"),
            ("originalCurrency", "original_currency"),
            ("sellerName", "seller_name"),
            ("sellerCountry", "seller_country"),
            ("confidence", "confidence"),
            ("excludedReason", "excluded_reason"),
        )
    },
}

# The same fields written in SQL (server/graphql/json_pages.py).
LISTING_LEAVES: LeafReaders = {
    "observedAt": column("observed_at", Encoding.MOMENT),
    "price": usd_leaf("price_usd"),
    "shipping": usd_leaf("shipping_usd"),
    **{
        field: column(name, Encoding.TEXT)
        for field, name in (
            ("source", "source"),
            ("externalId", "external_id"),
            ("kind", "kind"),
            ("condition", "condition"),
            ("originalCurrency", "original_currency"),
            ("sellerName", "seller_name"),
            ("sellerCountry", "seller_country"),
            ("excludedReason", "excluded_reason"),
        )
    },
    "quantity": column("quantity", Encoding.INT),
}
