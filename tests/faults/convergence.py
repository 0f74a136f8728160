"""What the fault tests check in the database once the dust has settled."""

from __future__ import annotations

import asyncio

from tests.databases import fetch_value

TICKS = "SELECT count(*) FROM sync_runs WHERE kind = 'tick' AND status = 'succeeded'"
# Days that have listings but no snapshot: an ingest half done.
DAYS_WITHOUT_SNAPSHOT = """
    SELECT count(*) FROM (
        SELECT DISTINCT minifigure_id, (observed_at AT TIME ZONE 'UTC')::date AS day, condition
        FROM price_listings WHERE excluded_reason IS NULL
    ) AS listed
    LEFT JOIN price_snapshots AS s USING (minifigure_id, day, condition)
    WHERE s.minifigure_id IS NULL
"""
# Snapshots that do not count exactly the listings of their day (or have none): stale.
SNAPSHOTS_OFF = """
    SELECT count(*) FROM (
        SELECT minifigure_id, (observed_at AT TIME ZONE 'UTC')::date AS day, condition,
               count(*) AS listed
        FROM price_listings GROUP BY 1, 2, 3
    ) AS listed
    FULL JOIN price_snapshots AS s USING (minifigure_id, day, condition)
    WHERE s.sold_count + s.ask_count + s.excluded_count IS DISTINCT FROM listed.listed
"""


def value(database_url: str, query: str) -> int:
    found = asyncio.run(fetch_value(database_url, query))
    assert isinstance(found, int)
    return found
