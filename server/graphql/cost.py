"""Query cost: an estimate of the objects an operation can resolve, checked before it runs.

Every selected field costs 1. A field that returns many items multiplies the cost of its
selection by how many it can return: the page size of connections (`first`/`last`, or the
default), the buckets of a price history, a fixed guess for short lists. A query that
could fan out into millions of objects is refused with QUERY_TOO_COSTLY before any SQL
runs (`server.graphql.limits`); every response reports the estimate in `extensions.cost`.

Linear in the document: a fragment's cost is computed once per request and reused at
every spread, and sums saturate instead of growing into huge integers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.utilities import value_from_ast_untyped

from server.graphql.pagination import DEFAULT_PAGE_SIZE
from server.graphql.ranges import MAX_BUCKETS
from server.store.candles import CandleWidth, InvalidCandleWidthError

# Counts stop growing here: far above any limit, small enough to stay a machine integer.
SATURATION = 10**15


def saturated(value: int) -> int:
    return min(value, SATURATION)


_PAGED_FIELDS = {
    "minifigures": DEFAULT_PAGE_SIZE,
    "snapshots": DEFAULT_PAGE_SIZE,
    "listings": DEFAULT_PAGE_SIZE,
    "syncRuns": DEFAULT_PAGE_SIZE,
    "movers": 10,
    "deals": DEFAULT_PAGE_SIZE,
    "sellerBundles": 5,
}
# Lists without a page size: a generous guess of their length.
_LIST_FIELDS = {"themes": 100, "dataSources": 10, "spread": 5, "items": 20}
_SERIES_FIELDS = {"priceHistory": "DAY", "marketIndex": "WEEK"}
_BUCKET_DAYS = {"HOUR": 1 / 24, "DAY": 1, "WEEK": 7, "MONTH": 28}
_DEFAULT_SERIES_DAYS = 366


class _Estimate:
    def __init__(
        self,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self.fragments = fragments
        self.variables = variables
        self.memo: dict[str, int] = {}
        self.visiting: set[str] = set()

    def selection_cost(self, selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field_cost(selection)
            elif isinstance(selection, InlineFragmentNode):
                total += self.selection_cost(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment_cost(selection.name.value)
            total = saturated(total)
        return total

    def _fragment_cost(self, name: str) -> int:
        known = self.memo.get(name)
        if known is not None:
            return known
        fragment = self.fragments.get(name)
        # Unknown or cyclic spreads cost nothing here: validation refuses them.
        if fragment is None or name in self.visiting:
            return 0
        self.visiting.add(name)
        cost = self.selection_cost(fragment.selection_set)
        self.visiting.discard(name)
        self.memo[name] = cost
        return cost

    def _field_cost(self, field: FieldNode) -> int:
        return saturated(1 + self._multiplier(field) * self.selection_cost(field.selection_set))

    def _arguments(self, field: FieldNode) -> dict[str, Any]:
        return {
            argument.name.value: value_from_ast_untyped(argument.value, self.variables)
            for argument in field.arguments or ()
        }

    def _multiplier(self, field: FieldNode) -> int:
        name = field.name.value
        if name in _PAGED_FIELDS:
            arguments = self._arguments(field)
            size = arguments.get("first") or arguments.get("last") or _PAGED_FIELDS[name]
            return max(int(size), 1) if isinstance(size, int) else _PAGED_FIELDS[name]
        if name in _LIST_FIELDS:
            return _LIST_FIELDS[name]
        if name in _SERIES_FIELDS:
            return self._buckets(self._arguments(field), _SERIES_FIELDS[name])
        return 1

    @staticmethod
    def _buckets(arguments: Mapping[str, Any], default_interval: str) -> int:
        interval = str(arguments.get("interval") or default_interval)
        days = _span_days(arguments.get("from"), arguments.get("to")) or _DEFAULT_SERIES_DAYS
        bucket_days = _width_days(arguments.get("width")) or _BUCKET_DAYS.get(interval, 1)
        return min(math.ceil(days / bucket_days) + 1, MAX_BUCKETS)


def _width_days(width: Any) -> float | None:
    """A free priceHistory width in days; None when absent or unusable (its resolver refuses it)."""
    try:
        return CandleWidth.parse(str(width)).nominal / timedelta(days=1) if width else None
    except InvalidCandleWidthError:
        return None


def _span_days(start: Any, end: Any) -> int | None:
    try:
        first = datetime.fromisoformat(str(start)).date() if start else None
        last = datetime.fromisoformat(str(end)).date() if end else date.today()
    except ValueError:
        return None
    return abs((last - first).days) + 1 if first else None


def operation_cost(
    document: DocumentNode, operation_name: str | None, variables: dict[str, Any] | None
) -> int:
    fragments: dict[str, FragmentDefinitionNode] = {}
    operations: list[OperationDefinitionNode] = []
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            fragments[definition.name.value] = definition
        elif isinstance(definition, OperationDefinitionNode):
            operations.append(definition)
    chosen = [
        operation
        for operation in operations
        if operation_name is None or (operation.name and operation.name.value == operation_name)
    ]
    if not chosen:
        return 0
    return _Estimate(fragments, variables or {}).selection_cost(chosen[0].selection_set)
