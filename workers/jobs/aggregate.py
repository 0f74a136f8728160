"""Snapshot jobs: the nightly recompute, and backfills over a day range."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from workers.context import services_of
from workers.pipeline.aggregate import recompute_range


async def aggregate_days(ctx: dict[str, Any], first_day: str, last_day: str) -> int:
    """A backfill handed to the worker (`stonks aggregate` runs the same thing in-process)."""
    return await recompute_range(
        services_of(ctx), date.fromisoformat(first_day), date.fromisoformat(last_day)
    )


async def aggregate_nightly(ctx: dict[str, Any]) -> int:
    """Yesterday and today again: catches listings that arrived late or out of order."""
    today = datetime.now(UTC).date()
    return await recompute_range(services_of(ctx), today - timedelta(days=1), today)
