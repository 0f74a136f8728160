"""Per-minifigure price measures as SQL expressions, shared by sorting, stats and movers.

One definition of "latest price" and "change over a window" keeps the catalog order,
`Minifigure.stats` and the movers list consistent with each other.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, SQLColumnExpression, func, literal, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.selectable import ScalarSelect, Subquery

from server.models import Condition, PriceSnapshot
from server.store.statements import fixed_limit


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
        .limit(fixed_limit(1))
        .scalar_subquery()
    )


def _median_at(newest_first: bool) -> Any:
    day = PriceSnapshot.day.desc() if newest_first else PriceSnapshot.day.asc()
    return func.array_agg(aggregate_order_by(PriceSnapshot.median_usd, day))[1]


def _in_window(condition: Condition, window: PriceWindow) -> list[ColumnElement[bool]]:
    return [
        PriceSnapshot.condition == condition.value,
        PriceSnapshot.median_usd.is_not(None),
        PriceSnapshot.day > func.current_date() - literal(window.days),
    ]


def _percent_change(oldest: Any, newest: Any) -> Any:
    return func.round((newest / func.nullif(oldest, 0) - 1) * 100, 2)


def change_pct(
    minifigure_id: SQLColumnExpression[Any], condition: Condition, window: PriceWindow
) -> ScalarSelect[Decimal | None]:
    """Percent change from the first to the last snapshot median inside the window.

    NULL with fewer than two such days: one point is no change, it is no data.
    """
    return (
        select(_percent_change(_median_at(newest_first=False), _median_at(newest_first=True)))
        .where(PriceSnapshot.minifigure_id == minifigure_id, *_in_window(condition, window))
        .having(func.count() >= 2)
        .scalar_subquery()
    )


def window_changes(condition: Condition, window: PriceWindow, min_sample: int) -> Subquery:
    """Per minifigure with two or more days and `min_sample` sales in the window: the first
    and last median, their percent change (as `change_pct`) and the sales counted."""
    oldest, newest = _median_at(newest_first=False), _median_at(newest_first=True)
    return (
        select(
            PriceSnapshot.minifigure_id,
            oldest.label("first_median"),
            func.min(PriceSnapshot.day).label("first_day"),
            newest.label("last_median"),
            func.max(PriceSnapshot.day).label("last_day"),
            _percent_change(oldest, newest).label("change_pct"),
            func.sum(PriceSnapshot.sold_count).label("sample_size"),
        )
        .where(*_in_window(condition, window))
        .group_by(PriceSnapshot.minifigure_id)
        .having(func.count() >= 2, func.sum(PriceSnapshot.sold_count) >= min_sample)
        .subquery("changes")
    )
