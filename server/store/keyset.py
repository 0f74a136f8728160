"""Keyset (seek) pagination over a sort key that may be NULL, with a unique tie-breaker.

Rows are ordered by (key, tie) in the requested direction, NULL keys last. Paging
backwards reverses that order in SQL (so LIMIT still applies at the right end) and the
caller reverses the rows it gets back. No OFFSET: every page costs the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, or_, tuple_
from sqlalchemy.sql.elements import UnaryExpression


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page starts: the sort key and tie-breaker of the row just outside it."""

    key: Any
    tie: Any


@dataclass(frozen=True, slots=True)
class Seek:
    descending: bool
    backward: bool = False

    @property
    def _effective_descending(self) -> bool:
        return self.descending != self.backward

    @property
    def _nulls_last(self) -> bool:
        return not self.backward

    def order_by(
        self, key: SQLColumnExpression[Any], tie: SQLColumnExpression[Any]
    ) -> list[UnaryExpression[Any]]:
        ordered_key = key.desc() if self._effective_descending else key.asc()
        ordered_tie = tie.desc() if self._effective_descending else tie.asc()
        nulls = ordered_key.nulls_last() if self._nulls_last else ordered_key.nulls_first()
        return [nulls, ordered_tie]

    def after(
        self, key: SQLColumnExpression[Any], tie: SQLColumnExpression[Any], position: Position
    ) -> ColumnElement[bool]:
        """Rows strictly after `position` in this order."""
        beyond_tie = tie < position.tie if self._effective_descending else tie > position.tie
        if position.key is None:
            same_nulls = and_(key.is_(None), beyond_tie)
            return same_nulls if self._nulls_last else or_(key.is_not(None), same_nulls)
        pair, cursor_pair = tuple_(key, tie), tuple_(position.key, position.tie)
        beyond = pair < cursor_pair if self._effective_descending else pair > cursor_pair
        # A NULL key makes the row comparison NULL (false): NULLs, first in this order,
        # drop out by themselves and must be let back in when they come last.
        return or_(key.is_(None), beyond) if self._nulls_last else beyond
