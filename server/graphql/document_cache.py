"""Parse and validate each distinct document once, not on every request.

Clients send the same few documents over and over; parsing and validating them again
was a fixed cost on every request. The cache is keyed by the document text and holds
the parsed document with its validation errors (none for a valid one), so an invalid
document is refused from the cache too. Validation depends only on the schema and the
rules, both fixed for the life of the process. Bounded (least recently used out) so
a stream of unique documents cannot grow memory. Syntax errors are not cached:
Strawberry parses those itself and reports them as usual.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass

from graphql import DocumentNode, GraphQLError, GraphQLSyntaxError, parse
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

MAX_DOCUMENTS = 512


@dataclass(frozen=True, slots=True)
class _Checked:
    document: DocumentNode
    errors: list[GraphQLError] | None


class _LeastRecentlyUsed:
    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.entries: OrderedDict[str, _Checked] = OrderedDict()

    def get(self, query: str) -> _Checked | None:
        found = self.entries.get(query)
        if found is not None:
            self.entries.move_to_end(query)
        return found

    def put(self, query: str, checked: _Checked) -> None:
        self.entries[query] = checked
        self.entries.move_to_end(query)
        while len(self.entries) > self.capacity:
            self.entries.popitem(last=False)


_documents = _LeastRecentlyUsed(MAX_DOCUMENTS)


class DocumentCache(SchemaExtension):
    """Must come after the extensions that add validation rules (they run first)."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        query = context.query
        if query is not None:
            found = _documents.get(query)
            if found is not None:
                context.graphql_document = found.document
                context.pre_execution_errors = found.errors
            else:
                with contextlib.suppress(GraphQLSyntaxError):
                    context.graphql_document = parse(query, **context.parse_options)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        query, document = context.query, context.graphql_document
        if query is not None and document is not None and context.pre_execution_errors is None:
            errors = validate_document(context.schema._schema, document, context.validation_rules)
            # The cache holds what validation said; an empty list is "valid".
            context.pre_execution_errors = errors
            _documents.put(query, _Checked(document, errors))
        yield
