"""Price candles at any width, from the daily continuous aggregate when it can answer.

Two sources give the same candles:
- raw listings, bucketed with `date_bin` (fixed widths, aligned to Monday 2000-01-03 UTC
  like TimescaleDB's `time_bucket`, so weeks start on Monday) or `date_trunc` (months);
- `price_candles_daily` (TimescaleDB Community only, see migration 0004), whose days are
  folded into wider buckets: far fewer rows to read, and it outlives raw-listing retention.

The aggregate answers when the request covers whole UTC days and the width is a whole
number of days or a month; hours and ranges starting mid-day read raw listings.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import (
    ARRAY,
    BigInteger,
    DateTime,
    Numeric,
    Select,
    Text,
    cast,
    column,
    func,
    literal,
    select,
    table,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import UUID, aggregate_order_by
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Condition, ListingKind, PriceListing
from server.store.prices_queries import CandleRow, EdgeJson, json_array
from server.timescale import DAILY_CANDLES_VIEW, has_daily_candles

logger = logging.getLogger(__name__)

# TimescaleDB's default time_bucket origin: a Monday, so weekly buckets start on Mondays.
BUCKET_ORIGIN = datetime(2000, 1, 3, tzinfo=UTC)
MIN_WIDTH = timedelta(minutes=1)
MAX_WIDTH = timedelta(days=366)
_ONE_DAY = timedelta(days=1)
# An ISO-8601 duration with years or months (P1M, P1Y2D): calendar lengths vary.
_CALENDAR_PART = re.compile(r"^-?P[^T]*[YM]")
_DURATION = TypeAdapter(timedelta)

# The part of [start, end) behind the aggregate's watermark (where materialized days end;
# TimescaleDB's own function for real-time aggregation) and inside the retention horizon.
_REFRESH_WINDOW = text(
    """
    WITH bounds AS (
        SELECT
            greatest(
                CAST(:start AS timestamptz),
                coalesce(
                    (SELECT date_trunc('day', now() - CAST(config->>'drop_after' AS interval),
                                       'UTC') + INTERVAL '1 day'
                     FROM timescaledb_information.jobs
                     WHERE proc_name = 'policy_retention' AND hypertable_name = 'price_listings'),
                    CAST(:start AS timestamptz))) AS first,
            least(
                CAST(:end AS timestamptz),
                (SELECT _timescaledb_functions.to_timestamp(
                            _timescaledb_functions.cagg_watermark(mat_hypertable_id))
                 FROM _timescaledb_catalog.continuous_agg WHERE user_view_name = :view)) AS last
    )
    SELECT first, last FROM bounds WHERE first < last
    """
).bindparams(view=DAILY_CANDLES_VIEW)

daily_candles = table(
    DAILY_CANDLES_VIEW,
    column("minifigure_id", UUID(as_uuid=True)),
    column("condition", Text),
    column("kind", Text),
    column("day", DateTime(timezone=True)),
    column("open_usd", Numeric(12, 2)),
    column("high_usd", Numeric(12, 2)),
    column("low_usd", Numeric(12, 2)),
    column("close_usd", Numeric(12, 2)),
    column("median_usd", Numeric(12, 2)),
    column("volume", BigInteger),
    column("trades", BigInteger),
    column("prices_usd", ARRAY(Numeric(12, 2))),
)


class CandleSource(Enum):
    RAW_LISTINGS = "raw listings"
    DAILY_AGGREGATE = "daily continuous aggregate"


async def detect_candle_source(session: AsyncSession) -> CandleSource:
    """Once at start-up: whether this database has the daily-candle aggregate."""
    connection = await session.connection()
    found = await connection.run_sync(has_daily_candles)
    return CandleSource.DAILY_AGGREGATE if found else CandleSource.RAW_LISTINGS


class InvalidCandleWidthError(ValueError):
    """A bucket width that is not a usable ISO-8601 duration."""


@dataclass(frozen=True, slots=True)
class CandleWidth:
    """A bucket width: a fixed duration, or (step None) one calendar month."""

    step: timedelta | None

    @classmethod
    def parse(cls, duration: str) -> CandleWidth:
        """An ISO-8601 duration such as PT4H, P3D or P2W; months and years are refused."""
        text = duration.strip().upper()
        if _CALENDAR_PART.match(text):
            raise InvalidCandleWidthError(
                f"{duration!r}: months and years vary in length; use the MONTH interval"
            )
        try:
            step = _DURATION.validate_python(text) if text.startswith("P") else None
        except ValidationError:
            step = None
        if step is None:
            raise InvalidCandleWidthError(
                f"{duration!r} is not an ISO-8601 duration such as PT4H, P3D or P2W"
            )
        if not MIN_WIDTH <= step <= MAX_WIDTH or step % MIN_WIDTH:
            raise InvalidCandleWidthError(
                f"{duration!r}: a width is whole minutes, from PT1M to P366D"
            )
        return cls(step)

    @property
    def nominal(self) -> timedelta:
        """The width used to count buckets against the cap (a month counts as 28 days)."""
        return self.step if self.step is not None else timedelta(days=28)

    @property
    def whole_days(self) -> bool:
        return self.step is None or self.step % _ONE_DAY == timedelta(0)

    def bucket(self, moment: Any) -> Any:
        """The start of the bucket holding `moment` (a timestamptz column), in UTC."""
        if self.step is None:
            return func.date_trunc("month", moment, "UTC")
        return func.date_bin(self.step, moment, literal(BUCKET_ORIGIN))


HOUR = CandleWidth(timedelta(hours=1))
DAY = CandleWidth(_ONE_DAY)
WEEK = CandleWidth(timedelta(days=7))
MONTH = CandleWidth(None)


@dataclass(frozen=True, slots=True)
class _Request:
    ids: Sequence[uuid.UUID]
    start: datetime
    end: datetime
    width: CandleWidth
    condition: Condition
    kind: ListingKind


def _median(prices: Any) -> Any:
    """Rounded like the stored medians, so both sources agree to the cent."""
    return func.round(cast(func.percentile_cont(0.5).within_group(prices), Numeric), 2)


def _at_midnight(moment: datetime) -> bool:
    return moment.astimezone(UTC).timetz().replace(tzinfo=None) == datetime.min.time()


def _daily_source_answers(
    source: CandleSource, start: datetime, end: datetime, width: CandleWidth
) -> bool:
    return (
        source is CandleSource.DAILY_AGGREGATE
        and width.whole_days
        and _at_midnight(start)
        and _at_midnight(end)
    )


def _from_raw_listings(r: _Request) -> Select[Any]:
    p = PriceListing
    bucket = r.width.bucket(p.observed_at).label("bucket")
    chronological = (p.observed_at.asc(), p.id.asc())
    reverse = (p.observed_at.desc(), p.id.desc())
    return (
        select(
            p.minifigure_id,
            bucket,
            func.array_agg(aggregate_order_by(p.price_usd, *chronological))[1].label("open_usd"),
            func.max(p.price_usd).label("high_usd"),
            func.min(p.price_usd).label("low_usd"),
            func.array_agg(aggregate_order_by(p.price_usd, *reverse))[1].label("close_usd"),
            _median(p.price_usd).label("median_usd"),
            func.sum(p.quantity).label("volume"),
            func.count().label("trades"),
        )
        .where(
            p.minifigure_id.in_(r.ids),
            p.kind == r.kind.value,
            p.condition == r.condition.value,
            p.excluded_reason.is_(None),
            p.observed_at >= r.start,
            p.observed_at < r.end,
        )
        .group_by(p.minifigure_id, bucket)
        .order_by(p.minifigure_id, bucket)
    )


def _from_daily_candles(r: _Request) -> Select[Any]:
    c = daily_candles.c
    where = (
        c.minifigure_id.in_(r.ids),
        c.condition == r.condition.value,
        c.kind == r.kind.value,
        c.day >= r.start,
        c.day < r.end,
    )
    if r.width == DAY:
        measures = (c.open_usd, c.high_usd, c.low_usd, c.close_usd, c.median_usd)
        return (
            select(c.minifigure_id, c.day.label("bucket"), *measures, c.volume, c.trades)
            .where(*where)
            .order_by(c.minifigure_id, c.day)
        )
    days = select(*c, r.width.bucket(c.day).label("bucket")).where(*where).cte("days")
    d = days.c
    # A wider bucket's median needs every price of its days, not their medians.
    price = func.unnest(d.prices_usd).table_valued("price").render_derived(name="p")
    medians = (
        select(
            d.minifigure_id,
            d.bucket,
            _median(price.c.price).label("median_usd"),
        )
        .select_from(days.join(price, true()))
        .group_by(d.minifigure_id, d.bucket)
        .subquery("medians")
    )
    heads = (
        select(
            d.minifigure_id,
            d.bucket,
            func.array_agg(aggregate_order_by(d.open_usd, d.day.asc()))[1].label("open_usd"),
            func.max(d.high_usd).label("high_usd"),
            func.min(d.low_usd).label("low_usd"),
            func.array_agg(aggregate_order_by(d.close_usd, d.day.desc()))[1].label("close_usd"),
            cast(func.sum(d.volume), BigInteger).label("volume"),
            cast(func.sum(d.trades), BigInteger).label("trades"),
        )
        .group_by(d.minifigure_id, d.bucket)
        .subquery("heads")
    )
    h = heads.c
    return (
        select(
            h.minifigure_id,
            h.bucket,
            h.open_usd,
            h.high_usd,
            h.low_usd,
            h.close_usd,
            medians.c.median_usd,
            h.volume,
            h.trades,
        )
        .join_from(
            heads,
            medians,
            (medians.c.minifigure_id == h.minifigure_id) & (medians.c.bucket == h.bucket),
        )
        .order_by(h.minifigure_id, h.bucket)
    )


async def price_history(
    session: AsyncSession,
    ids: Sequence[uuid.UUID],
    *,
    start: datetime,
    end: datetime,
    width: CandleWidth,
    condition: Condition,
    kind: ListingKind,
    source: CandleSource,
) -> dict[uuid.UUID, list[CandleRow]]:
    """OHLC + median + volume per UTC bucket in [start, end), oldest first, one statement."""
    query = _candles(ids, start, end, width, condition, kind, source)
    found: dict[uuid.UUID, list[CandleRow]] = defaultdict(list)
    for row in await session.execute(query):
        found[row[0]].append(CandleRow(*row[1:]))
    return found


async def price_history_json(
    session: AsyncSession,
    ids: Sequence[uuid.UUID],
    *,
    start: datetime,
    end: datetime,
    width: CandleWidth,
    condition: Condition,
    kind: ListingKind,
    source: CandleSource,
    item: EdgeJson,
) -> dict[uuid.UUID, str]:
    """As `price_history`, each minifigure's candles as one JSON array written by `item`
    (server/graphql/json_pages.py); minifigures without candles are left out."""
    candles = _candles(ids, start, end, width, condition, kind, source).subquery("candles")
    query = select(
        candles.c.minifigure_id,
        json_array(item(candles.name), candles.c.bucket),
    ).group_by(candles.c.minifigure_id)
    return {row[0]: row[1] for row in await session.execute(query)}


def _candles(
    ids: Sequence[uuid.UUID],
    start: datetime,
    end: datetime,
    width: CandleWidth,
    condition: Condition,
    kind: ListingKind,
    source: CandleSource,
) -> Select[Any]:
    request = _Request(ids, start, end, width, condition, kind)
    daily = _daily_source_answers(source, start, end, width)
    return _from_daily_candles(request) if daily else _from_raw_listings(request)


async def refresh_daily_candles(session: AsyncSession, first_day: date, last_day: date) -> None:
    """Materializes the days of a backfill that lie behind the aggregate's watermark.

    Real-time aggregation only covers days after the watermark; listings stored for
    earlier days would wait for the refresh policy. Days past the retention horizon are
    left alone: their raw listings are gone, a refresh would empty their candles.
    Needs a session with no transaction open (a refresh cannot run inside one).
    """
    connection = await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    if not await connection.run_sync(has_daily_candles):
        return
    window = (
        await connection.execute(
            _REFRESH_WINDOW,
            {
                "start": datetime.combine(first_day, time(), tzinfo=UTC),
                "end": datetime.combine(last_day + _ONE_DAY, time(), tzinfo=UTC),
            },
        )
    ).first()
    if window is None:
        return
    try:
        await connection.execute(
            text(
                f"CALL refresh_continuous_aggregate('{DAILY_CANDLES_VIEW}', "
                "CAST(:start AS timestamptz), CAST(:end AS timestamptz))"
            ),
            {"start": window.first, "end": window.last},
        )
    except DBAPIError as error:
        # The listings are stored; the refresh policy materializes these days later.
        logger.warning("daily candles %s..%s left to the refresh policy: %s", *window, error)
