"""Time-range arguments: defaults, validation and caps.

Defaults are aligned to UTC midnight so every minifigure in a request asks for the same
range, and the loaders batch them into one statement.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from server.graphql.errors import ClientError
from server.store.candles import CandleWidth
from server.store.prices_queries import Interval

DEFAULT_HISTORY = timedelta(days=365)
# Moments outside these bounds are refused (INVALID_RANGE): no price lies there, and near
# years 1 and 9999 date arithmetic overflows.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
MAX_BUCKETS = 2000
_BUCKET_WIDTH = {
    Interval.DAY: timedelta(days=1),
    Interval.WEEK: timedelta(days=7),
    Interval.MONTH: timedelta(days=28),
}


def _out_of_bounds() -> ClientError:
    return ClientError(
        "INVALID_RANGE",
        f"dates must lie between {EARLIEST.date().isoformat()} and {LATEST.date().isoformat()}",
    )


def aware(moment: datetime) -> datetime:
    """In UTC (naive datetimes are read as UTC), within EARLIEST and LATEST."""
    try:
        utc = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    except OverflowError:
        raise _out_of_bounds() from None
    if not EARLIEST <= utc < LATEST:
        raise _out_of_bounds()
    return utc


def bounded_day(day: date) -> date:
    if not EARLIEST.date() <= day < LATEST.date():
        raise _out_of_bounds()
    return day


def end_of_today() -> datetime:
    return datetime.combine(datetime.now(UTC).date() + timedelta(days=1), time(), tzinfo=UTC)


def checked_range(start: datetime | date | None, end: datetime | date | None) -> None:
    for bound in (start, end):
        if isinstance(bound, datetime):
            aware(bound)
        elif isinstance(bound, date):
            bounded_day(bound)
    if start is not None and end is not None and start > end:
        raise ClientError("INVALID_RANGE", "`from` must not be after `to`")


def history_range(
    start: datetime | None, end: datetime | None, interval: Interval | CandleWidth
) -> tuple[datetime, datetime]:
    """[start, end) of a price history: by default the year up to the end of today."""
    end = aware(end) if end else end_of_today()
    start = aware(start) if start else end - DEFAULT_HISTORY
    checked_range(start, end)
    width = interval.nominal if isinstance(interval, CandleWidth) else _BUCKET_WIDTH[interval]
    if (end - start) / width > MAX_BUCKETS:
        raise ClientError(
            "RANGE_TOO_LARGE",
            f"at most {MAX_BUCKETS} buckets per history: shorten the range or widen the interval",
        )
    return start, end
