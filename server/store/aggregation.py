"""Daily snapshots computed in the database from the listings of the days asked for.

One INSERT ... SELECT ... ON CONFLICT DO UPDATE per batch: every row is rewritten
whole from the listings, so running it twice, or for a day already computed, gives
the same rows (never increments).

Concurrency: a recompute first takes transaction-scoped advisory locks on the
minifigures it covers, in one sorted order (so two recomputes cannot deadlock), and
only then reads. Under READ COMMITTED the SELECT sees everything committed before
the locks were granted, so a later recompute can never overwrite a newer result
with one computed from an older view of the listings.

Collectors price by sales, so the price statistics (min, max, mean, median,
quartiles, weighted mean) cover the day's included SALES only (excluded_reason IS
NULL, kind SOLD); a day with asks but no sale has no median. Asking prices are
their own figures: the lowest ask and the ask median of the included asks.
`by_source` breaks both down per source.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True, slots=True, order=True)
class SnapshotKey:
    minifigure_id: uuid.UUID
    day: date
    condition: str


_LOCK_MINIFIGURES = text(
    """
    SELECT pg_advisory_xact_lock(lock_key)
    FROM (
        SELECT DISTINCT hashtextextended('price_snapshots:' || id::text, 0) AS lock_key
        FROM unnest(CAST(:ids AS uuid[])) AS id
    ) AS keys
    ORDER BY lock_key
    """
)

_RECOMPUTE = text(
    """
    WITH targets AS (
        SELECT DISTINCT m AS minifigure_id, d AS day
        FROM unnest(CAST(:ids AS uuid[]), CAST(:days AS date[])) AS t(m, d)
    ),
    span AS (
        SELECT min(day)::timestamp AT TIME ZONE 'UTC' AS first_moment,
               (max(day) + 1)::timestamp AT TIME ZONE 'UTC' AS end_moment
        FROM targets
    ),
    observed AS (
        -- One range scan over the whole span (chunk exclusion on TimescaleDB), then
        -- keep the (minifigure, day) pairs asked for.
        SELECT l.minifigure_id, t.day, l.condition, l.kind, l.source, l.price_usd,
               l.quantity, l.excluded_reason IS NULL AS included
        FROM price_listings AS l
        CROSS JOIN span
        JOIN targets AS t
          ON t.minifigure_id = l.minifigure_id
         AND t.day = (l.observed_at AT TIME ZONE 'UTC')::date
        WHERE l.observed_at >= span.first_moment AND l.observed_at < span.end_moment
          AND l.minifigure_id IN (SELECT minifigure_id FROM targets)
    ),
    -- One pass over the rows, two levels: a row per (minifigure, day, condition) and one
    -- per source within it, with the same aggregates (a join of two separately grouped
    -- levels was planned as a nested loop: the planner has no statistics for the rows this
    -- transaction inserted, and the join grew quadratically with the batch).
    per_level AS (
        SELECT minifigure_id, day, condition, source, GROUPING(source) = 1 AS whole_day,
               min(price_usd) FILTER (WHERE sold) AS min_usd,
               max(price_usd) FILTER (WHERE sold) AS max_usd,
               avg(price_usd) FILTER (WHERE sold) AS mean_usd,
               -- One sort for the three quantiles.
               percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY price_usd)
                   FILTER (WHERE sold) AS quartiles,
               sum(price_usd * quantity) FILTER (WHERE sold)
                   / nullif(sum(quantity) FILTER (WHERE sold), 0) AS weighted_mean_usd,
               min(price_usd) FILTER (WHERE asked) AS lowest_ask_usd,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY price_usd)
                   FILTER (WHERE asked) AS ask_median_usd,
               count(*) FILTER (WHERE sold) AS sold_count,
               count(*) FILTER (WHERE asked) AS ask_count,
               count(*) FILTER (WHERE included) AS included_count,
               count(*) FILTER (WHERE NOT included) AS excluded_count,
               coalesce(sum(quantity) FILTER (WHERE sold), 0) AS sold_quantity
        FROM (
            SELECT *, included AND kind = 'SOLD' AS sold, included AND kind = 'ASK' AS asked
            FROM observed
        ) AS counted
        GROUP BY GROUPING SETS (
            (minifigure_id, day, condition), (minifigure_id, day, condition, source)
        )
    ),
    -- Each day's row takes its sources' figures (sources with included listings only).
    overall AS (
        SELECT *,
               jsonb_object_agg(source, jsonb_build_object(
                   'count', included_count,
                   'sold', sold_count,
                   'ask', ask_count,
                   'min', min_usd,
                   'max', max_usd,
                   'median', round(CAST(quartiles[2] AS numeric), 2),
                   'lowest_ask', lowest_ask_usd,
                   'ask_median', round(CAST(ask_median_usd AS numeric), 2)
               )) FILTER (WHERE NOT whole_day AND included_count > 0) OVER snapshot AS by_source,
               count(*) FILTER (WHERE NOT whole_day AND included_count > 0) OVER snapshot
                   AS sources_count
        FROM per_level
        WINDOW snapshot AS (PARTITION BY minifigure_id, day, condition)
    )
    INSERT INTO price_snapshots (
        minifigure_id, day, condition, min_usd, max_usd, mean_usd, median_usd, p25_usd,
        p75_usd, weighted_mean_usd, lowest_ask_usd, ask_median_usd, sold_count, ask_count,
        excluded_count, sold_quantity, sources_count, by_source, computed_at
    )
    SELECT o.minifigure_id, o.day, o.condition, o.min_usd, o.max_usd, round(o.mean_usd, 2),
           round(CAST(o.quartiles[2] AS numeric), 2), round(CAST(o.quartiles[1] AS numeric), 2),
           round(CAST(o.quartiles[3] AS numeric), 2), round(o.weighted_mean_usd, 2),
           o.lowest_ask_usd, round(CAST(o.ask_median_usd AS numeric), 2),
           o.sold_count, o.ask_count, o.excluded_count, o.sold_quantity,
           o.sources_count, coalesce(o.by_source, '{}'::jsonb), now()
    FROM overall AS o
    WHERE o.whole_day
    -- Rows are written in key order, so concurrent batches lock rows in one order too.
    ORDER BY o.minifigure_id, o.day, o.condition
    ON CONFLICT (minifigure_id, day, condition) DO UPDATE SET
        min_usd = excluded.min_usd,
        max_usd = excluded.max_usd,
        mean_usd = excluded.mean_usd,
        median_usd = excluded.median_usd,
        p25_usd = excluded.p25_usd,
        p75_usd = excluded.p75_usd,
        weighted_mean_usd = excluded.weighted_mean_usd,
        lowest_ask_usd = excluded.lowest_ask_usd,
        ask_median_usd = excluded.ask_median_usd,
        sold_count = excluded.sold_count,
        ask_count = excluded.ask_count,
        excluded_count = excluded.excluded_count,
        sold_quantity = excluded.sold_quantity,
        sources_count = excluded.sources_count,
        by_source = excluded.by_source,
        computed_at = excluded.computed_at
    RETURNING minifigure_id, day, condition
    """
)


async def recompute_snapshots(
    session: AsyncSession, days: Iterable[tuple[uuid.UUID, date]]
) -> list[SnapshotKey]:
    """Recomputes the snapshots of each (minifigure, day); returns the rows written.

    Call in a transaction of its own, after the listings it should see are committed.
    """
    pairs = sorted(set(days))
    if not pairs:
        return []
    ids = [pair[0] for pair in pairs]
    await session.execute(_LOCK_MINIFIGURES, {"ids": ids})
    result = await session.execute(_RECOMPUTE, {"ids": ids, "days": [pair[1] for pair in pairs]})
    return sorted(SnapshotKey(*row) for row in result)


_DAYS_WITH_LISTINGS = text(
    """
    SELECT DISTINCT minifigure_id, (observed_at AT TIME ZONE 'UTC')::date AS day
    FROM price_listings
    WHERE observed_at >= CAST(:first_day AS date)::timestamp AT TIME ZONE 'UTC'
      AND observed_at < (CAST(:last_day AS date) + 1)::timestamp AT TIME ZONE 'UTC'
    ORDER BY 1, 2
    """
)


async def days_with_listings(
    session: AsyncSession, first_day: date, last_day: date
) -> list[tuple[uuid.UUID, date]]:
    """Every (minifigure, day) in [first_day, last_day] that has at least one listing."""
    result = await session.execute(
        _DAYS_WITH_LISTINGS, {"first_day": first_day, "last_day": last_day}
    )
    return [(row[0], row[1]) for row in result]
