"""Query cost: an estimate of the objects an operation can resolve, checked before it runs.

Every selected field costs 1. A field that returns many items multiplies the cost of its
selection by how many it can return: the page size of connections (`first`/`last`, or the
default), the buckets of a price history, a fixed guess for short lists. A query that
could fan out into millions of objects is refused with QUERY_TOO_COSTLY before any SQL
runs; every response reports the estimate in `extensions.cost`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.utilities import value_from_ast_untyped
from strawberry.extensions import SchemaExtension

from server.graphql.errors import ClientError
from server.graphql.pagination import DEFAULT_PAGE_SIZE
from server.graphql.ranges import MAX_BUCKETS
from server.store.candles import CandleWidth, InvalidCandleWidthError

MAX_QUERY_COST = 50_000

_PAGED_FIELDS = {
    "minifigures": DEFAULT_PAGE_SIZE,
    "snapshots": DEFAULT_PAGE_SIZE,
    "listings": DEFAULT_PAGE_SIZE,
    "syncRuns": DEFAULT_PAGE_SIZE,
    "movers": 10,
}
# Lists without a page size: a generous guess of their length.
_LIST_FIELDS = {"themes": 100, "dataSources": 10}
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

    def selection_cost(self, selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        return sum(self._field_cost(field) for field in self._fields(selection_set))

    def _fields(self, selection_set: SelectionSetNode) -> Iterator[FieldNode]:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                yield from self._fields(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    yield from self._fields(fragment.selection_set)

    def _field_cost(self, field: FieldNode) -> int:
        return 1 + self._multiplier(field) * self.selection_cost(field.selection_set)

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
    document: Any, operation_name: str | None, variables: dict[str, Any] | None
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


class QueryCost(SchemaExtension):
    """Refuses operations above MAX_QUERY_COST; reports the estimate in `extensions.cost`."""

    cost: int | None = None

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:
            self.cost = operation_cost(
                context.graphql_document, context.operation_name, context.variables
            )
            if self.cost > MAX_QUERY_COST:
                refusal = ClientError(
                    "QUERY_TOO_COSTLY",
                    f"query cost {self.cost} exceeds the maximum of {MAX_QUERY_COST}: "
                    "ask for smaller pages or fewer nested lists",
                )
                # A result set before execution makes Strawberry skip execution.
                context.result = GraphQLExecutionResult(
                    data=None, errors=[GraphQLError(str(refusal), original_error=refusal)]
                )
        yield

    def get_results(self) -> dict[str, Any]:
        if self.cost is None:
            return {}
        return {"cost": {"requested": self.cost, "maximum": MAX_QUERY_COST}}
