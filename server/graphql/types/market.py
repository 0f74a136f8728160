"""Market-wide views: movers and the market index."""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry
from strawberry.types import Info

from server.graphql.context import Context
from server.graphql.money import MONEY, CurrencyArgument, money
from server.graphql.types.minifigure import Minifigure
from server.store.market import IndexPoint, MoverRow

USD = "USD"


@strawberry.enum(description="Which end of the movers list.")
class MoverDirection(Enum):
    GAINERS = strawberry.enum_value("GAINERS", description="Largest rises first.")
    LOSERS = strawberry.enum_value("LOSERS", description="Largest falls first.")


@strawberry.type(description="A minifigure whose median price moved over the window.")
class Mover:
    row: strawberry.Private[MoverRow]

    @strawberry.field(description="The minifigure.")
    async def minifigure(self, info: Info[Context, None]) -> Minifigure | None:
        found = await info.context.loaders.minifigure_by_id.load(self.row.minifigure_id)
        return Minifigure.from_row(found) if found else None

    @strawberry.field(description="Percent change from the first to the last daily median.")
    def change_pct(self) -> float:
        return float(self.row.change_pct)

    @strawberry.field(graphql_type=MONEY, description="The first daily median in the window.")
    def from_price(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.first_median_usd, self.row.first_day, currency)

    @strawberry.field(description="The day of the first median.")
    def from_day(self) -> date:
        return self.row.first_day

    @strawberry.field(graphql_type=MONEY, description="The last daily median in the window.")
    def to_price(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.last_median_usd, self.row.last_day, currency)

    @strawberry.field(description="The day of the last median.")
    def to_day(self) -> date:
        return self.row.last_day

    @strawberry.field(description="Sales behind the daily medians in the window.")
    def sample_size(self) -> int:
        return self.row.sample_size


@strawberry.type(description="One bucket of the market index.")
class MarketIndexPoint:
    row: strawberry.Private[IndexPoint]

    @strawberry.field(description="First day of the bucket.")
    def start(self) -> date:
        return self.row.start

    @strawberry.field(description="Index value; the first bucket of the range is 100.")
    def value(self) -> float:
        return float(self.row.value)

    @strawberry.field(description="Minifigures priced in this bucket.")
    def constituents(self) -> int:
        return self.row.constituents
