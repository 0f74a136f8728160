"""Long series completed in one pass, without a resolver call per field of every item.

Five years of daily candles are 1,800 items x 7 fields: graphql-core would call a
resolver and complete a value 12,600 times. A resolver may instead return a series
(`as_series`): the rows, and per field of the item type a reader that, given the
field's arguments, says how to read the field from a row. The execution context below
collects the selected fields once (graphql-core resolves fragments, aliases,
@skip/@include and variables), then builds the plain result items directly.

When a selection asks for something a reader does not offer (a field without a reader,
or arguments it declines, such as a money field in another currency) the rows are
completed the ordinary way, so answers and errors are the same on both paths.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from graphql import (
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    get_nullable_type,
    is_list_type,
    is_object_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.execution.values import get_argument_values
from graphql.pyutils import AwaitableOrValue, Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

Item = TypeVar("Item")
# Given a field's arguments: how to read its value from a row, or None to decline.
Reader = Callable[[Mapping[str, Any]], Callable[[Any], Any] | None]


@dataclass(frozen=True, slots=True)
class _Series:
    rows: Sequence[Any]
    readers: Mapping[str, Reader]
    objects: Callable[[], list[Any]]


def as_series(
    rows: Sequence[Any], readers: Mapping[str, Reader], objects: Callable[[], list[Item]]
) -> list[Item]:
    """What a list resolver returns to be completed in one pass. Typed as the list it
    stands for: `objects()` builds that list when the ordinary path is needed."""
    return cast("list[Item]", _Series(rows, readers, objects))


class StonksExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[Any]:
        if isinstance(result, _Series):
            completed = self._complete_series(return_type, field_details_list, result)
            if completed is not None:
                return completed
            result = result.objects()
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _complete_series(
        self, return_type: GraphQLOutputType, field_details_list: FieldDetailsList, series: _Series
    ) -> list[dict[str, Any]] | None:
        list_type = get_nullable_type(return_type)
        if not is_list_type(list_type):
            return None
        item_type = get_nullable_type(list_type.of_type)
        if not is_object_type(item_type):
            return None
        plan = self._plan(item_type, field_details_list, series)
        if plan is None:
            return None
        return [{key: read(row) for key, read in plan} for row in series.rows]

    def _plan(
        self, item_type: GraphQLObjectType, field_details_list: FieldDetailsList, series: _Series
    ) -> list[tuple[str, Callable[[Any], Any]]] | None:
        collected = self.collect_subfields(item_type, field_details_list)
        plan: list[tuple[str, Callable[[Any], Any]]] = []
        for response_key, details in collected.grouped_field_set.items():
            first = details[0]
            name = first.node.name.value
            if name == "__typename":
                plan.append((response_key, _constant(item_type.name)))
                continue
            reader = series.readers.get(name)
            if reader is None:
                return None
            arguments = get_argument_values(
                item_type.fields[name],
                first.node,
                self.variable_values,
                first.fragment_variable_values,
            )
            read = reader(arguments)
            if read is None:
                return None
            plan.append((response_key, read))
        return plan


def _constant(value: str) -> Callable[[Any], str]:
    return lambda _row: value
