"""Enums of the price API, mapped onto the store's enums by member name."""

from __future__ import annotations

from enum import Enum

import strawberry

from server.graphql.errors import ClientError
from server.models import Condition as StoreCondition
from server.models import ListingKind as StoreListingKind
from server.store import candles
from server.store.price_measures import PriceWindow as StorePriceWindow
from server.store.prices_queries import Interval as StoreInterval


@strawberry.enum(description="The condition a minifigure is sold in.")
class Condition(Enum):
    NEW = strawberry.enum_value("NEW", description="New, unassembled or never played with.")
    USED = strawberry.enum_value("USED", description="Used.")

    def to_store(self) -> StoreCondition:
        return StoreCondition[self.name]


@strawberry.enum(description="What an observed price is.")
class ListingKind(Enum):
    SOLD = strawberry.enum_value("SOLD", description="A completed sale.")
    ASK = strawberry.enum_value("ASK", description="An asking price of an open offer.")

    def to_store(self) -> StoreListingKind:
        return StoreListingKind[self.name]


@strawberry.enum(description="A trailing window of whole days ending today.")
class StatsWindow(Enum):
    D7 = strawberry.enum_value("7D", description="The last 7 days.")
    D30 = strawberry.enum_value("30D", description="The last 30 days.")
    D90 = strawberry.enum_value("90D", description="The last 90 days.")
    Y1 = strawberry.enum_value("1Y", description="The last 365 days.")

    def to_store(self) -> StorePriceWindow:
        return StorePriceWindow[self.name]


@strawberry.enum(description="The width of a price-history bucket (UTC; weeks start Monday).")
class PriceInterval(Enum):
    HOUR = strawberry.enum_value(
        "hour", description="One hour (price history only; the market index is daily)."
    )
    DAY = strawberry.enum_value("day", description="One calendar day.")
    WEEK = strawberry.enum_value("week", description="One ISO week, Monday to Sunday.")
    MONTH = strawberry.enum_value("month", description="One calendar month.")

    def to_store(self) -> StoreInterval:
        """The interval of a series of daily snapshots, which has no hours."""
        if self is PriceInterval.HOUR:
            raise ClientError("INVALID_INTERVAL", "daily series take DAY, WEEK or MONTH")
        return StoreInterval[self.name]

    def to_candle_width(self) -> candles.CandleWidth:
        widths = {
            PriceInterval.HOUR: candles.HOUR,
            PriceInterval.DAY: candles.DAY,
            PriceInterval.WEEK: candles.WEEK,
            PriceInterval.MONTH: candles.MONTH,
        }
        return widths[self]
