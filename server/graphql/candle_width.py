"""The bucket width of a price history: a named interval, or a free ISO-8601 duration."""

from __future__ import annotations

from server.graphql.errors import ClientError
from server.graphql.types.enums import PriceInterval
from server.store.candles import CandleWidth, InvalidCandleWidthError


def candle_width(interval: PriceInterval, width: str | None) -> CandleWidth:
    """`width` (PT4H, P3D...) wins over `interval` when given."""
    if width is None:
        return interval.to_candle_width()
    try:
        return CandleWidth.parse(width)
    except InvalidCandleWidthError as error:
        raise ClientError("INVALID_INTERVAL", str(error)) from None
