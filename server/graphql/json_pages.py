"""Connection pages written as JSON by PostgreSQL: the peer's trick for nested lists.

A page of 90 snapshots under each of 20 minifigures is 1,800 edges: even completed in one
pass (server/graphql/series.py), each edge costs Python a row, a dict per object and its
encoding. When a connection's selection is only `edges { node { leaves } }` (with
`pageInfo` and `__typename` beside it) and every leaf has a SQL form here, the resolver
looks ahead at the selection and gets the page's edges as one JSON text per parent, which
the HTTP endpoint splices into the response unparsed (orjson.Fragment).

PostgreSQL writes each value as the ordinary path writes it (same keys in the same
order, same number, date and time formats), so the bytes of an answer are the same on
both paths; tests compare them. Anything else (a cursor, `nodes`, a money field in
another currency, `edges` selected twice under different aliases, a transport that
does not encode with orjson) goes the ordinary way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Any

from graphql import (
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    get_nullable_type,
    is_list_type,
    is_object_type,
)
from graphql.execution.collect_fields import CollectedFields, FieldDetails, FieldDetailsList
from graphql.execution.values import get_argument_values
from sqlalchemy import Text, case, cast, func, literal_column
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import ColumnElement


class Encoding(Enum):
    """How a column's value is written, byte for byte as the ordinary path writes it."""

    TEXT = "text"  # a JSON string
    INT = "int"
    DATE = "date"  # date.isoformat()
    MONEY = "money"  # float(Decimal) of a two-decimal amount: 12.5, 12.0
    MOMENT = "moment"  # datetime.isoformat() of a UTC timestamptz


@dataclass(frozen=True, slots=True)
class Leaf:
    column: str
    encoding: Encoding


# Given a field's arguments: the leaf to write, or None to decline (the ordinary path).
LeafReader = Callable[[Mapping[str, Any]], Leaf | None]
LeafReaders = Mapping[str, LeafReader]
# An edge's JSON: literal text and leaves, concatenated.
Template = tuple[str | Leaf, ...]


def column(name: str, encoding: Encoding) -> LeafReader:
    """A field without arguments, read from `name`."""
    leaf = Leaf(name, encoding)
    return lambda _arguments: leaf


class Lookahead:
    """The operation being executed, as resolvers need it to look ahead at a selection."""

    def __init__(
        self,
        collect: Callable[[GraphQLObjectType, FieldDetailsList], CollectedFields],
        variable_values: Any,
    ) -> None:
        self._collect = collect
        self._variables = variable_values
        self._templates: dict[tuple[str | int, ...], Template | None] = {}

    def edges_template(self, info: GraphQLResolveInfo[Any], leaves: LeafReaders) -> Template | None:
        """The JSON of one edge of the connection `info` resolves, or None to decline."""
        return self._memoized(info, leaves, self._connection)

    def items_template(self, info: GraphQLResolveInfo[Any], leaves: LeafReaders) -> Template | None:
        """The JSON of one item of the list `info` resolves, or None to decline."""
        return self._memoized(info, leaves, self._items)

    def _memoized(
        self,
        info: GraphQLResolveInfo[Any],
        leaves: LeafReaders,
        build: Callable[[GraphQLOutputType, FieldDetailsList, LeafReaders], Template | None],
    ) -> Template | None:
        # By name: a bound method is a new object (and id) at every access.
        key: tuple[str | int, ...] = (build.__name__, id(leaves), *map(id, info.field_nodes))
        if key not in self._templates:
            details = [FieldDetails(node, None) for node in info.field_nodes]
            self._templates[key] = build(info.return_type, details, leaves)
        return self._templates[key]

    def _items(
        self, return_type: GraphQLOutputType, details: FieldDetailsList, leaves: LeafReaders
    ) -> Template | None:
        item = _list_item(return_type)
        parts = None if item is None else self._object(item, details, leaves)
        return None if parts is None else _merged(parts)

    def _connection(
        self, return_type: GraphQLOutputType, details: FieldDetailsList, leaves: LeafReaders
    ) -> Template | None:
        connection = get_nullable_type(return_type)
        if not is_object_type(connection):
            return None
        fields = self._collect(connection, details).grouped_field_set
        edges = [key for key, found in fields.items() if found[0].node.name.value == "edges"]
        others = {found[0].node.name.value for found in fields.values()} - {"edges"}
        if len(edges) != 1 or not others <= {"pageInfo", "__typename"}:
            return None
        edge = _list_item(connection.fields["edges"].type)
        parts = None if edge is None else self._object(edge, fields[edges[0]], {"node": leaves})
        return None if parts is None else _merged(parts)

    def _object(
        self,
        object_type: GraphQLObjectType,
        details: FieldDetailsList,
        readers: Mapping[str, LeafReader | LeafReaders],
    ) -> list[str | Leaf] | None:
        parts: list[str | Leaf] = ["{"]
        collected = self._collect(object_type, details).grouped_field_set
        for index, (key, found) in enumerate(collected.items()):
            parts.append(("," if index else "") + json.dumps(key) + ":")
            name = found[0].node.name.value
            if name == "__typename":
                parts.append(json.dumps(object_type.name))
                continue
            reader = readers.get(name)
            if reader is None:
                return None
            if isinstance(reader, Mapping):
                inner = get_nullable_type(object_type.fields[name].type)
                if not is_object_type(inner):
                    return None
                nested = self._object(inner, found, reader)
                if nested is None:
                    return None
                parts.extend(nested)
                continue
            arguments = get_argument_values(
                object_type.fields[name],
                found[0].node,
                self._variables,
                found[0].fragment_variable_values,
            )
            leaf = reader(arguments)
            if leaf is None:
                return None
            parts.append(leaf)
        parts.append("}")
        return parts


def _list_item(list_type: GraphQLOutputType) -> GraphQLObjectType | None:
    """The object type of a list's items (None: not a list of objects)."""
    nullable = get_nullable_type(list_type)
    if not is_list_type(nullable):
        return None
    item = get_nullable_type(nullable.of_type)
    return item if is_object_type(item) else None


def _merged(parts: list[str | Leaf]) -> Template:
    merged: list[str | Leaf] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return tuple(merged)


def _written(value: Any, encoding: Encoding) -> ColumnElement[str]:
    text: ColumnElement[Any]
    if encoding is Encoding.INT:
        text = cast(value, Text)
    elif encoding is Encoding.MONEY:
        # float(Decimal('12.50')) is written 12.5, float(Decimal('12.00')) 12.0.
        text = case(
            (value == func.trunc(value), func.concat(func.trunc(value), literal_column("'.0'"))),
            else_=func.rtrim(cast(value, Text), literal_column("'0'")),
        )
    elif encoding is Encoding.MOMENT:
        utc = func.timezone(literal_column("'UTC'"), value)
        # isoformat() leaves out a zero microsecond part.
        fraction = case(
            (func.date_trunc(literal_column("'second'"), utc) == utc, literal_column("''")),
            else_=func.to_char(utc, literal_column("'.US'")),
        )
        text = func.concat(
            literal_column("'\"'"),
            func.to_char(utc, literal_column("'YYYY-MM-DD\"T\"HH24:MI:SS'")),
            fraction,
            literal_column("'+00:00\"'"),
        )
    else:
        # Strings and dates: PostgreSQL escapes strings as json.dumps does, and writes
        # dates as ISO 8601.
        text = cast(func.to_json(value), Text)
    return func.coalesce(text, literal_column("'null'"))


@lru_cache(maxsize=256)
def edge_json(template: Template, table: str) -> ColumnElement[str]:
    """The SQL text of one edge, reading the columns of `table` (a name in the statement).

    Built and compiled once per template, and handed to the statement as one piece of
    SQL text: SQLAlchemy would otherwise walk its hundred nodes on every execution to
    find the statement's cache key."""
    parts: list[Any] = []
    for part in template:
        if isinstance(part, Leaf):
            parts.append(_written(literal_column(f"{table}.{part.column}"), part.encoding))
        else:
            # GraphQL names and JSON punctuation: never a quote or backslash to escape.
            parts.append(literal_column(f"'{part}'"))
    sql = func.concat(*parts).compile(dialect=postgresql.dialect())  # type: ignore[no-untyped-call]
    return literal_column(f"({sql})", Text)
