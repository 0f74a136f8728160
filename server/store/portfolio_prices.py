"""Prices a portfolio is valued at: each day's snapshot median, carried forward; FX coverage."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Condition

Pair = tuple[uuid.UUID, Condition]


async def daily_medians(
    session: AsyncSession, pairs: Sequence[Pair], first_day: date, last_day: date
) -> dict[Pair, dict[date, Decimal]]:
    """Per (minifigure, condition) and day: the median of that day's snapshot, or of the
    latest earlier one (a day without sales keeps the last known price). Days before any
    snapshot are left out. One statement for all pairs and days."""
    if not pairs:
        return {}
    result = await session.execute(
        text(
            """
            SELECT p.id, p.condition, d.day::date, s.median_usd
            FROM unnest(CAST(:ids AS uuid[]), CAST(:conditions AS text[])) AS p(id, condition)
            CROSS JOIN generate_series(CAST(:first AS date), CAST(:last AS date), '1 day') AS d(day)
            JOIN LATERAL (
                SELECT median_usd FROM price_snapshots
                WHERE minifigure_id = p.id AND condition = p.condition
                  AND day <= d.day AND median_usd IS NOT NULL
                ORDER BY day DESC LIMIT 1
            ) AS s ON true
            """
        ),
        {
            "ids": [minifigure_id for minifigure_id, _ in pairs],
            "conditions": [condition.value for _, condition in pairs],
            "first": first_day,
            "last": last_day,
        },
    )
    found: dict[Pair, dict[date, Decimal]] = {}
    for minifigure_id, condition, day, median in result:
        found.setdefault((minifigure_id, Condition(condition)), {})[day] = median
    return found


async def first_rate_days(session: AsyncSession) -> dict[str, date]:
    """Each currency with exchange rates and the first day it has one (USD needs none)."""
    result = await session.execute(
        text("SELECT currency, min(day) FROM fx_rates GROUP BY currency")
    )
    return {row[0]: row[1] for row in result}
