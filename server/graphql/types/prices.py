"""Price views of one minifigure: latest price, window statistics, candles, snapshots.

Each wraps a plain row from the store (no ORM objects) and resolves its money fields
on demand in the currency the client asks for.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from operator import attrgetter
from typing import Any

import strawberry
from strawberry.types import Info

from server.graphql.context import Context
from server.graphql.json_pages import Encoding, LeafReaders, column
from server.graphql.money import MONEY, CurrencyArgument, money, usd_leaf, usd_reader
from server.graphql.series import Readers, plain
from server.graphql.types.enums import Condition, StatsWindow
from server.store.prices_queries import CandleRow, LatestPriceRow, SnapshotRow, StatsRow

USD = "USD"


@strawberry.type(description="The most recent prices of one minifigure in one condition.")
class LatestPrice:
    row: strawberry.Private[LatestPriceRow]
    condition: Condition = strawberry.field(description="The condition these prices are for.")

    @strawberry.field(
        graphql_type=MONEY,
        description="The price of the most recent included sale (asks never count).",
    )
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
        description="The lowest included asking price seen in the last 7 days (older asks are "
        "stale); an offer, not a sale.",
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

    @strawberry.field(
        graphql_type=MONEY,
        description="The median of the included sales (asks left out) on the latest day with a "
        "sale: the latest daily snapshot median.",
    )
    def median(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        day = self.row.median_day
        return money(info, self.row.median_usd, day or _today(), currency)

    @strawberry.field(
        description="The day of the latest daily snapshot with a sale (and so a median)."
    )
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
        description="Percent change from the first to the last daily median of included sales "
        "in the window; null with fewer than two days with sales."
    )
    def change_pct(self) -> float | None:
        value = self.row.change_pct
        return None if value is None else float(value)

    @strawberry.field(
        description="Standard deviation of the daily log changes of the sold median (daily "
        "snapshots), in percent."
    )
    def volatility_pct(self) -> float | None:
        value = self.row.volatility_pct
        return None if value is None else float(value)

    @strawberry.field(
        graphql_type=MONEY,
        description="The lowest included sale price in the window (asks left out).",
    )
    def low(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.low_usd, _today(), currency)

    @strawberry.field(
        graphql_type=MONEY,
        description="The highest included sale price in the window (asks left out).",
    )
    def high(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.high_usd, _today(), currency)

    @strawberry.field(
        graphql_type=MONEY,
        description="The median of the included sales in the window (asks left out).",
    )
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
    "included observations of the kind asked for (sales by default, or asks), and the volume."
)
class Candle:
    row: strawberry.Private[CandleRow]

    @strawberry.field(description="Start of the bucket (UTC).")
    def start(self) -> datetime:
        return self.row.bucket

    @strawberry.field(
        graphql_type=MONEY,
        description="The first included price of the kind asked for in the bucket.",
    )
    def open(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.open_usd, self.row.bucket.date(), currency)

    @strawberry.field(
        graphql_type=MONEY,
        description="The highest included price of the kind asked for in the bucket.",
    )
    def high(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.high_usd, self.row.bucket.date(), currency)

    @strawberry.field(
        graphql_type=MONEY,
        description="The lowest included price of the kind asked for in the bucket.",
    )
    def low(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.low_usd, self.row.bucket.date(), currency)

    @strawberry.field(
        graphql_type=MONEY,
        description="The last included price of the kind asked for in the bucket.",
    )
    def close(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.close_usd, self.row.bucket.date(), currency)

    @strawberry.field(
        graphql_type=MONEY,
        description="The median of the included prices of the kind asked for in the bucket.",
    )
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

# The same fields written in SQL (server/graphql/json_pages.py).
CANDLE_LEAVES: LeafReaders = {
    "start": column("bucket", Encoding.MOMENT),
    **{field: usd_leaf(f"{field}_usd") for field in ("open", "high", "low", "close", "median")},
    "volume": column("volume", Encoding.INT),
    "trades": column("trades", Encoding.INT),
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


# The same fields written in SQL (server/graphql/json_pages.py).
SNAPSHOT_LEAVES: LeafReaders = {
    "day": column("day", Encoding.DATE),
    "condition": column("condition", Encoding.TEXT),
    **{
        field: usd_leaf(f"{name}_usd")
        for field, name in (
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
        field: column(name, Encoding.INT)
        for field, name in (
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

    @strawberry.field(
        graphql_type=MONEY, description="The lowest included sale price of the day (asks left out)."
    )
    def min(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.min_usd, self.row.day, currency)

    @strawberry.field(
        graphql_type=MONEY,
        description="The highest included sale price of the day (asks left out).",
    )
    def max(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.max_usd, self.row.day, currency)

    @strawberry.field(
        graphql_type=MONEY,
        description="The mean of the day's included sale prices (asks left out).",
    )
    def mean(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.mean_usd, self.row.day, currency)

    @strawberry.field(
        graphql_type=MONEY,
        description="The median of the day's included sale prices (asks left out).",
    )
    def median(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.median_usd, self.row.day, currency)

    @strawberry.field(
        graphql_type=MONEY, description="The 25th percentile of the day's included sale prices."
    )
    def p25(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.p25_usd, self.row.day, currency)

    @strawberry.field(
        graphql_type=MONEY, description="The 75th percentile of the day's included sale prices."
    )
    def p75(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.p75_usd, self.row.day, currency)

    @strawberry.field(
        graphql_type=MONEY,
        description="The mean of the day's included sale prices weighted by units sold.",
    )
    def weighted_mean(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.weighted_mean_usd, self.row.day, currency)

    @strawberry.field(description="Included sales of the day (the sample of the price figures).")
    def sold_count(self) -> int:
        return self.row.sold_count

    @strawberry.field(
        description="Included asking prices of the day (the sample of the ask figures)."
    )
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

    @strawberry.field(
        graphql_type=MONEY,
        description="The lowest included asking price of the day: an offer, not a sale.",
    )
    def lowest_ask(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.lowest_ask_usd, self.row.day, currency)

    @strawberry.field(
        graphql_type=MONEY,
        description="The median of the day's included asking prices (see `askCount`).",
    )
    def ask_median(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, self.row.ask_median_usd, self.row.day, currency)

    @strawberry.field(description="The day's figures per data source, by source code.")
    def by_source(self) -> list[SourceSnapshot]:
        return [
            SourceSnapshot(source=code, stats=stats, day=self.row.day)
            for code, stats in sorted(self.row.by_source.items())
        ]


@strawberry.type(description="One data source's share of a daily snapshot (included only).")
class SourceSnapshot:
    source: str = strawberry.field(description="The data source code, e.g. `bricklink`.")
    stats: strawberry.Private[dict[str, Any]]
    day: strawberry.Private[date]

    @strawberry.field(description="Included sales from this source.")
    def sold_count(self) -> int:
        return int(self.stats.get("sold", 0))

    @strawberry.field(description="Included asking prices from this source.")
    def ask_count(self) -> int:
        return int(self.stats.get("ask", 0))

    @strawberry.field(graphql_type=MONEY, description="The median of this source's included sales.")
    def median(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, _amount(self.stats.get("median")), self.day, currency)

    @strawberry.field(graphql_type=MONEY, description="The lowest of this source's included sales.")
    def min(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, _amount(self.stats.get("min")), self.day, currency)

    @strawberry.field(
        graphql_type=MONEY, description="The highest of this source's included sales."
    )
    def max(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, _amount(self.stats.get("max")), self.day, currency)

    @strawberry.field(graphql_type=MONEY, description="The lowest included ask from this source.")
    def lowest_ask(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, _amount(self.stats.get("lowest_ask")), self.day, currency)

    @strawberry.field(graphql_type=MONEY, description="The median of this source's included asks.")
    def ask_median(self, info: Info[Context, None], currency: CurrencyArgument = USD) -> object:
        return money(info, _amount(self.stats.get("ask_median")), self.day, currency)


def _amount(value: object) -> Decimal | None:
    """A JSONB number (a float after decoding) back to exact cents."""
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _today() -> date:
    return datetime.now(UTC).date()
