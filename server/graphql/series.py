"""Long series completed in one pass, without a resolver call per field of every item.

Five years of daily candles are 1,800 items x 7 fields: graphql-core would call a
resolver and complete a value 12,600 times. A resolver may instead return a series
(`as_series`): the rows, and per field of the item type a reader that, given the
field's arguments, says how to read the field from a row. The execution context below
collects the selected fields once (graphql-core resolves fragments, aliases,
@skip/@include and variables), then builds the plain result items directly.

Object fields of the items (a connection's `node`) are read the same way, nested.
When a selection asks for something a reader does not offer (a field without a reader,
or arguments it declines, such as a money field in another currency) the rows are
completed the ordinary way, so answers and errors are the same on both paths.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson
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

from server.graphql.json_pages import Lookahead

Item = TypeVar("Item")
# Given a field's arguments: how to read its value from a row, or None to decline.
Reader = Callable[[Mapping[str, Any]], Callable[[Any], Any] | None]


@dataclass(frozen=True, slots=True)
class Nested:
    """An object field: the row it reads from (`get`), and the readers of its fields."""

    get: Callable[[Any], Any]
    readers: Readers


Readers = Mapping[str, Reader | Nested]


class _Series(list[Any]):
    """The list a resolver stands for, built only if the ordinary path needs it (any
    read of the list fills it), plus the rows and readers that complete it in one pass."""

    def __init__(self, rows: Sequence[Any], readers: Readers, objects: Callable[[], list[Any]]):
        super().__init__()
        self.rows = rows
        self.readers = readers
        self._objects: Callable[[], list[Any]] | None = objects

    def _fill(self) -> None:
        if self._objects is not None:
            objects, self._objects = self._objects, None
            super().extend(objects())

    def __iter__(self) -> Iterator[Any]:
        self._fill()
        return super().__iter__()

    def __len__(self) -> int:
        self._fill()
        return super().__len__()

    def __getitem__(self, index: Any) -> Any:
        self._fill()
        return super().__getitem__(index)


def as_series(
    rows: Sequence[Any], readers: Readers, objects: Callable[[], list[Item]]
) -> list[Item]:
    """What a list resolver returns to be completed in one pass: the `rows` with the
    readers of the item type; `objects()` builds the ordinary list (one item per row,
    in order) only when it is needed."""
    return _Series(rows, readers, objects)


class StonksExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Resolvers of a request answered by the HTTP endpoint may look ahead at their
        # selection and return JSON written in SQL (server/graphql/json_pages.py).
        context = self.context_value
        if getattr(context, "json_pages", False):
            context.lookahead = Lookahead(self.collect_subfields, self.variable_values)

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[Any]:
        if isinstance(result, orjson.Fragment):
            # Already the JSON of this value, as completing it would have written it.
            return result
        if isinstance(result, _Series):
            completed = self._complete_series(return_type, field_details_list, result)
            if completed is not None:
                return completed
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
        plan = self._plan(item_type, field_details_list, series.readers)
        if plan is None:
            return None
        return [{key: read(row) for key, read in plan} for row in series.rows]

    def _plan(
        self, item_type: GraphQLObjectType, field_details_list: FieldDetailsList, readers: Readers
    ) -> list[tuple[str, Callable[[Any], Any]]] | None:
        collected = self.collect_subfields(item_type, field_details_list)
        plan: list[tuple[str, Callable[[Any], Any]]] = []
        for response_key, details in collected.grouped_field_set.items():
            first = details[0]
            name = first.node.name.value
            if name == "__typename":
                plan.append((response_key, _constant(item_type.name)))
                continue
            reader = readers.get(name)
            if reader is None:
                return None
            if isinstance(reader, Nested):
                nested = self._nested(item_type.fields[name].type, details, reader)
                if nested is None:
                    return None
                plan.append((response_key, nested))
                continue
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

    def _nested(
        self, field_type: GraphQLOutputType, details: FieldDetailsList, nested: Nested
    ) -> Callable[[Any], Any] | None:
        object_type = get_nullable_type(field_type)
        if not is_object_type(object_type):
            return None
        plan = self._plan(object_type, details, nested.readers)
        if plan is None:
            return None
        get = nested.get

        def read(row: Any) -> dict[str, Any] | None:
            inner = get(row)
            return None if inner is None else {key: value(inner) for key, value in plan}

        return read


def _constant(value: str) -> Callable[[Any], str]:
    return lambda _row: value


def plain(read: Callable[[Any], Any]) -> Reader:
    """A reader for a field without arguments."""
    return lambda _arguments: read
