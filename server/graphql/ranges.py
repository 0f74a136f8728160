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
MAX_BUCKETS = 2000
_BUCKET_WIDTH = {
    Interval.DAY: timedelta(days=1),
    Interval.WEEK: timedelta(days=7),
    Interval.MONTH: timedelta(days=28),
}


def aware(moment: datetime) -> datetime:
    """Naive datetimes are read as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def end_of_today() -> datetime:
    return datetime.combine(datetime.now(UTC).date() + timedelta(days=1), time(), tzinfo=UTC)


def checked_range(start: datetime | date | None, end: datetime | date | None) -> None:
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
