"""Per-minifigure price measures as SQL expressions, shared by sorting, stats and movers.

One definition of "latest price" and "change over a window" keeps the catalog order,
`Minifigure.stats` and the movers list consistent with each other.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import SQLColumnExpression, func, literal, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.selectable import ScalarSelect

from server.models import Condition, PriceSnapshot


class PriceWindow(Enum):
    """A trailing window of whole days ending today."""

    D7 = 7
    D30 = 30
    D90 = 90
    Y1 = 365

    @property
    def days(self) -> int:
        return int(self.value)


def latest_median(
    minifigure_id: SQLColumnExpression[Any], condition: Condition
) -> ScalarSelect[Decimal | None]:
    """The median of the most recent snapshot that has one."""
    return (
        select(PriceSnapshot.median_usd)
        .where(
            PriceSnapshot.minifigure_id == minifigure_id,
            PriceSnapshot.condition == condition.value,
            PriceSnapshot.median_usd.is_not(None),
        )
        .order_by(PriceSnapshot.day.desc())
        .limit(1)
        .scalar_subquery()
    )


def change_pct(
    minifigure_id: SQLColumnExpression[Any], condition: Condition, window: PriceWindow
) -> ScalarSelect[Decimal | None]:
    """Percent change from the first to the last snapshot median inside the window.

    NULL with fewer than two such days: one point is no change, it is no data.
    """
    newest = func.array_agg(aggregate_order_by(PriceSnapshot.median_usd, PriceSnapshot.day.desc()))[
        1
    ]
    oldest = func.array_agg(aggregate_order_by(PriceSnapshot.median_usd, PriceSnapshot.day.asc()))[
        1
    ]
    return (
        select(func.round((newest / func.nullif(oldest, 0) - 1) * 100, 2))
        .where(
            PriceSnapshot.minifigure_id == minifigure_id,
            PriceSnapshot.condition == condition.value,
            PriceSnapshot.median_usd.is_not(None),
            PriceSnapshot.day > func.current_date() - literal(window.days),
        )
        .having(func.count() >= 2)
        .scalar_subquery()
    )
