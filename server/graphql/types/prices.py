"""Price views of one minifigure: latest price, window statistics, candles, snapshots.

Each wraps a plain row from the store (no ORM objects) and resolves its money fields
on demand in the currency the client asks for.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from operator import attrgetter

import strawberry
from strawberry.types import Info

from server.graphql.context import Context
from server.graphql.money import MONEY, CurrencyArgument, money, usd_reader
from server.graphql.series import Readers, plain
from server.graphql.types.enums import Condition, StatsWindow
from server.store.prices_queries import CandleRow, LatestPriceRow, SnapshotRow, StatsRow

USD = "USD"


@strawberry.type(description="The most recent prices of one minifigure in one condition.")
class LatestPrice:
    row: strawberry.Private[LatestPriceRow]
    condition: Condition = strawberry.field(description="The condition these prices are for.")

    @strawberry.field(graphql_type=MONEY, description="The price of the most recent sale.")
    def last_sale(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        at = self.row.last_sale_at
        return money(info, self.row.last_sale_usd, at.date() if at else _today(), currency)

    @strawberry.field(description="When the most recent sale happened.")
    def last_sale_at(self) -> datetime | None:
        return self.row.last_sale_at

    @strawberry.field(description="Where the most recent sale happened (a data source code).")
    def last_sale_source(self) -> str | None:
        return self.row.last_sale_source

    @strawberry.field(
        graphql_type=MONEY,
        description="The lowest asking price seen in the last 7 days (older asks are stale).",
    )
    def lowest_ask(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        at = self.row.lowest_ask_at
        return money(info, self.row.lowest_ask_usd, at.date() if at else _today(), currency)

    @strawberry.field(description="When the lowest current ask was seen.")
    def lowest_ask_at(self) -> datetime | None:
        return self.row.lowest_ask_at

    @strawberry.field(description="Where the lowest current ask was seen (a data source code).")
    def lowest_ask_source(self) -> str | None:
        return self.row.lowest_ask_source

    @strawberry.field(graphql_type=MONEY, description="The median of the latest daily snapshot.")
    def median(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        day = self.row.median_day
        return money(info, self.row.median_usd, day or _today(), currency)

    @strawberry.field(description="The day of the latest daily snapshot with a median.")
    def median_day(self) -> date | None:
        return self.row.median_day

    @strawberry.field(
        description="When any price of this minifigure in this condition was last observed: "
        "how fresh these prices are."
    )
    def last_seen_at(self) -> datetime | None:
        return self.row.last_seen_at


@strawberry.type(description="Statistics of one minifigure's prices over a trailing window.")
class PriceStats:
    row: strawberry.Private[StatsRow]
    window: StatsWindow = strawberry.field(description="The window these figures cover.")
    condition: Condition = strawberry.field(description="The condition these figures are for.")

    @strawberry.field(
        description="Percent change from the first to the last daily median in the window; "
        "null with fewer than two days of data."
    )
    def change_pct(self) -> float | None:
        value = self.row.change_pct
        return None if value is None else float(value)

    @strawberry.field(
        description="Standard deviation of the daily log changes of the median, in percent."
    )
    def volatility_pct(self) -> float | None:
        value = self.row.volatility_pct
        return None if value is None else float(value)

    @strawberry.field(graphql_type=MONEY, description="The lowest sale price in the window.")
    def low(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.low_usd, _today(), currency)

    @strawberry.field(graphql_type=MONEY, description="The highest sale price in the window.")
    def high(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.high_usd, _today(), currency)

    @strawberry.field(graphql_type=MONEY, description="The median sale price in the window.")
    def median(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.median_usd, _today(), currency)

    @strawberry.field(description="Sales in the window (excluded listings left out).")
    def sample_size(self) -> int:
        return self.row.sample_size

    @strawberry.field(description="Units sold in the window.")
    def volume(self) -> int:
        return self.row.volume

    @strawberry.field(description="When the last sale in the window happened.")
    def last_sale_at(self) -> datetime | None:
        return self.row.last_sale_at


@strawberry.type(
    description="One bucket of price history: open, high, low, close and median of the "
    "observed prices, and the volume."
)
class Candle:
    row: strawberry.Private[CandleRow]

    @strawberry.field(description="Start of the bucket (UTC).")
    def start(self) -> datetime:
        return self.row.bucket

    @strawberry.field(graphql_type=MONEY, description="The first price in the bucket.")
    def open(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.open_usd, self.row.bucket.date(), currency)

    @strawberry.field(graphql_type=MONEY, description="The highest price in the bucket.")
    def high(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.high_usd, self.row.bucket.date(), currency)

    @strawberry.field(graphql_type=MONEY, description="The lowest price in the bucket.")
    def low(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.low_usd, self.row.bucket.date(), currency)

    @strawberry.field(graphql_type=MONEY, description="The last price in the bucket.")
    def close(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.close_usd, self.row.bucket.date(), currency)

    @strawberry.field(graphql_type=MONEY, description="The median price in the bucket.")
    def median(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.median_usd, self.row.bucket.date(), currency)

    @strawberry.field(description="Units observed in the bucket.")
    def volume(self) -> int:
        return self.row.volume

    @strawberry.field(description="Number of observations in the bucket.")
    def trades(self) -> int:
        return self.row.trades


# How `Candle`'s fields read a CandleRow when a history is completed as a series
# (server/graphql/series.py): the same values the resolvers above return.
CANDLE_READERS: Readers = {
    "start": plain(lambda row: row.bucket.isoformat()),
    "open": usd_reader("open_usd"),
    "high": usd_reader("high_usd"),
    "low": usd_reader("low_usd"),
    "close": usd_reader("close_usd"),
    "median": usd_reader("median_usd"),
    "volume": plain(attrgetter("volume")),
    "trades": plain(attrgetter("trades")),
}

# The same for `Snapshot` and a SnapshotRow.
SNAPSHOT_READERS: Readers = {
    "day": plain(lambda row: row.day.isoformat()),
    "condition": plain(attrgetter("condition")),
    **{
        field: usd_reader(f"{column}_usd")
        for field, column in (
            ("min", "min"),
            ("max", "max"),
            ("mean", "mean"),
            ("median", "median"),
            ("p25", "p25"),
            ("p75", "p75"),
            ("weightedMean", "weighted_mean"),
        )
    },
    **{
        field: plain(attrgetter(column))
        for field, column in (
            ("soldCount", "sold_count"),
            ("askCount", "ask_count"),
            ("excludedCount", "excluded_count"),
            ("soldQuantity", "sold_quantity"),
            ("sourcesCount", "sources_count"),
        )
    },
}


@strawberry.type(description="One minifigure's prices on one day in one condition.")
class Snapshot:
    row: strawberry.Private[SnapshotRow]

    @strawberry.field(description="The day (UTC).")
    def day(self) -> date:
        return self.row.day

    @strawberry.field(description="The condition.")
    def condition(self) -> Condition:
        return Condition[self.row.condition]

    @strawberry.field(graphql_type=MONEY, description="The lowest price of the day.")
    def min(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.min_usd, self.row.day, currency)

    @strawberry.field(graphql_type=MONEY, description="The highest price of the day.")
    def max(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.max_usd, self.row.day, currency)

    @strawberry.field(graphql_type=MONEY, description="The mean price of the day.")
    def mean(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.mean_usd, self.row.day, currency)

    @strawberry.field(graphql_type=MONEY, description="The median price of the day.")
    def median(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.median_usd, self.row.day, currency)

    @strawberry.field(graphql_type=MONEY, description="The 25th percentile price of the day.")
    def p25(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.p25_usd, self.row.day, currency)

    @strawberry.field(graphql_type=MONEY, description="The 75th percentile price of the day.")
    def p75(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.p75_usd, self.row.day, currency)

    @strawberry.field(graphql_type=MONEY, description="The quantity-weighted mean price.")
    def weighted_mean(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.weighted_mean_usd, self.row.day, currency)

    @strawberry.field(description="Sales counted.")
    def sold_count(self) -> int:
        return self.row.sold_count

    @strawberry.field(description="Asking prices counted.")
    def ask_count(self) -> int:
        return self.row.ask_count

    @strawberry.field(description="Observations left out of the statistics (lots, outliers...).")
    def excluded_count(self) -> int:
        return self.row.excluded_count

    @strawberry.field(description="Units sold.")
    def sold_quantity(self) -> int:
        return self.row.sold_quantity

    @strawberry.field(description="Number of data sources that contributed.")
    def sources_count(self) -> int:
        return self.row.sources_count


def _today() -> date:
    return datetime.now(UTC).date()
