"""Market-wide views: the biggest movers, and an equal-weighted chained price index."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Condition
from server.store.price_measures import PriceWindow, window_changes
from server.store.prices_queries import Interval


class MoverRow(NamedTuple):
    minifigure_id: uuid.UUID
    first_median_usd: Decimal
    first_day: date
    last_median_usd: Decimal
    last_day: date
    change_pct: Decimal
    sample_size: int


class IndexPoint(NamedTuple):
    start: date
    value: Decimal
    constituents: int


async def movers(
    session: AsyncSession,
    *,
    window: PriceWindow,
    condition: Condition,
    gainers: bool,
    min_sample: int,
    limit: int,
) -> list[MoverRow]:
    """The largest rises (or falls) of the daily median over the window.

    Minifigures with fewer than `min_sample` sales in the window are left out, so a single
    odd sale cannot top the list.
    """
    changes = window_changes(condition, window, min_sample)
    change = changes.c.change_pct
    query = (
        select(*changes.c)
        .where(change > 0 if gainers else change < 0)
        .order_by(change.desc() if gainers else change.asc(), changes.c.minifigure_id)
        .limit(limit)
    )
    return [MoverRow._make(row) for row in await session.execute(query)]


# Each minifigure's last median per bucket ("close"); a bucket's link is the mean of the
# close-to-close ratios of the minifigures priced in it and in their previous bucket
# (equal weights); the index multiplies the links, starting at 100.
_MARKET_INDEX = text(
    """
    WITH closes AS (
        SELECT DISTINCT ON (s.minifigure_id, bucket)
               s.minifigure_id,
               CAST(date_trunc(:interval, s.day) AS date) AS bucket,
               s.median_usd
        FROM price_snapshots s
        JOIN minifigures m ON m.id = s.minifigure_id
        WHERE s.condition = :condition
          AND s.median_usd > 0
          AND s.day >= :first_day AND s.day < :end_day
          AND (CAST(:theme AS text) IS NULL OR m.theme = CAST(:theme AS text))
        ORDER BY s.minifigure_id, bucket, s.day DESC
    ), links AS (
        SELECT bucket,
               median_usd / lag(median_usd) OVER (
                   PARTITION BY minifigure_id ORDER BY bucket
               ) AS ratio
        FROM closes
    ), buckets AS (
        SELECT bucket, avg(ratio) AS link, count(*) AS constituents
        FROM links
        GROUP BY bucket
    )
    SELECT bucket,
           round(CAST(100 * exp(sum(ln(coalesce(link, 1))) OVER (ORDER BY bucket)) AS numeric), 2),
           constituents
    FROM buckets
    ORDER BY bucket
    """
)


async def market_index(
    session: AsyncSession,
    *,
    theme: str | None,
    interval: Interval,
    condition: Condition,
    first_day: date,
    end_day: date,
) -> list[IndexPoint]:
    """Index points for buckets in [first_day, end_day), oldest first; the first is 100."""
    result = await session.execute(
        _MARKET_INDEX,
        {
            "interval": interval.value,
            "condition": condition.value,
            "first_day": first_day,
            "end_day": end_day,
            "theme": theme,
        },
    )
    return [IndexPoint._make(row) for row in result]
