"""Operation limits: checked on the parsed document before validation, in linear time.

A document's work can grow exponentially through fragments (`...F` spreads `F1` twice,
which spreads `F2` twice...), so every measure here visits each fragment definition once
and memoises its result; the measures themselves (depth, aliases, cost) may still be
astronomically large numbers, which is exactly what gets refused.

The checks, in order, each refusal naming its limit and value:
- size (characters) and tokens, while parsing (`parse_limited`);
- fragment definitions and directives, counted in the document as written;
- depth and aliases, fragments expanded (`QUERY_TOO_DEEP`, `TOO_MANY_ALIASES`);
- cost (`server.graphql.cost`).

`document_shape` is a pure function of the document, so a parse cache may keep its
result next to the document it caches. `server.graphql.admission` runs these checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSyntaxError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)

from server.graphql.cost import SATURATION, saturated
from server.settings import Settings


@dataclass(frozen=True, slots=True)
class Limits:
    """The maxima an operation must respect; built from Settings (see README)."""

    max_query_length: int = 32_768
    max_tokens: int = 1_000
    max_depth: int = 12
    max_aliases: int = 30
    max_fragments: int = 50
    max_directives: int = 50
    max_cost: int = 50_000

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            max_query_length=settings.query_max_length,
            max_tokens=settings.query_max_tokens,
            max_depth=settings.query_max_depth,
            max_aliases=settings.query_max_aliases,
            max_fragments=settings.query_max_fragments,
            max_directives=settings.query_max_directives,
            max_cost=settings.query_max_cost,
        )


def refusal(code: str, message: str, **details: object) -> GraphQLError:
    """A limit's refusal: its code and the limit's value in `extensions`."""
    return GraphQLError(message, extensions={"code": code, **details})


def _too_many_tokens(limits: Limits) -> GraphQLError:
    return refusal(
        "TOO_MANY_TOKENS",
        f"the document has more than {limits.max_tokens} tokens, the limit",
        limit=limits.max_tokens,
    )


# GraphQL's lexical tokens (spec section 2.1) and comments, which graphql-core counts
# towards `max_tokens` too: each matched whole and without backtracking (atomic groups,
# possessive repeats), the commonest first; their first characters tell them apart (a
# block string is tried before a string). What is not a token here (a stray character)
# stops the match.
_IGNORED = r"[\t\n\r ,\ufeff]*+"
_LEXEME = (
    r"(?>"
    r"[_A-Za-z][_0-9A-Za-z]*+"
    r"|[!$&():=@\[\]{|}]|\.\.\."
    r'|"""(?:[^"\\]++|\\"""|\\(?!""")|"(?!""))*+"""'
    r'|"(?:[^"\\\n\r]++|\\.)*+"'
    r"|-?(?:0|[1-9][0-9]*+)(?:\.[0-9]++)?+(?:[eE][+-]?[0-9]++)?+"
    r"|\#[^\n\r]*+"
    r")"
)


@lru_cache(maxsize=8)
def _tokens_over(limit: int) -> re.Pattern[str]:
    """Matches the start of a text that has more than `limit` tokens."""
    return re.compile(rf"(?>{_IGNORED}{_LEXEME}){{{limit + 1}}}")


def has_too_many_tokens(query: str, limits: Limits) -> bool:
    """Counts tokens (and comments) in C, the regular expression engine, stopping one
    past the limit.

    graphql-core's parser refuses such a document too, after parsing the first
    `max_tokens` tokens in Python at several microseconds each; this refuses it in tens
    of nanoseconds a token. Only a text whose first tokens all lex as GraphQL's do is
    counted, so a document is never refused for tokens the parser would not count; one
    that is also malformed after them is refused for its tokens rather than its syntax."""
    return _tokens_over(limits.max_tokens).match(query) is not None


def length_refusal(query: str, limits: Limits) -> GraphQLError | None:
    if len(query) <= limits.max_query_length:
        return None
    return refusal(
        "QUERY_TOO_LARGE",
        f"the document has {len(query)} characters, over the limit of {limits.max_query_length}",
        limit=limits.max_query_length,
    )


def parse_limited(query: str, limits: Limits) -> DocumentNode:
    """Parses within the size and token limits; GRAPHQL_PARSE_FAILED or a limit code."""
    if too_large := length_refusal(query, limits):
        raise too_large
    if has_too_many_tokens(query, limits):
        raise _too_many_tokens(limits)
    try:
        return parse(query, no_location=False, max_tokens=limits.max_tokens)
    except GraphQLSyntaxError as error:
        if "more than" in error.message and "tokens" in error.message:
            raise _too_many_tokens(limits) from None
        raise GraphQLError(
            error.message,
            source=error.source,
            positions=error.positions,
            extensions={"code": "GRAPHQL_PARSE_FAILED"},
        ) from None


# Introspection is measured apart: the standard query nests 15 levels through `ofType`
# chains (no fan-out), while `types { fields { type { fields ... } } }` fans out over the
# schema. So inside `__schema`/`__type` what is limited is the nesting of list fields:
# the standard query needs 3 (types > fields > args).
_INTROSPECTION_ROOTS = frozenset({"__schema", "__type"})
_INTROSPECTION_LISTS = frozenset(
    {
        "types",
        "fields",
        "inputFields",
        "args",
        "enumValues",
        "interfaces",
        "possibleTypes",
        "directives",
    }
)
MAX_INTROSPECTION_LISTS = 3


@dataclass(frozen=True, slots=True)
class DocumentShape:
    """What the limits look at, fragments expanded; the largest over all operations."""

    depth: int
    aliases: int
    fragments: int
    directives: int
    introspection_lists: int


@dataclass(frozen=True, slots=True)
class _Measured:
    """Of one selection set: depth, aliases, and nesting of introspection lists."""

    depth: int
    aliases: int
    lists: int


_NOTHING = _Measured(0, 0, 0)


class _Measure:
    """One walk over the document: each definition visited once, fragments memoised."""

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.memo: dict[str, _Measured] = {}
        self.visiting: set[str] = set()
        self.directives = 0
        self.introspection_lists = 0

    def fragment(self, name: str) -> _Measured:
        known = self.memo.get(name)
        if known is not None:
            return known
        definition = self.fragments.get(name)
        # Unknown or cyclic spreads measure nothing: validation refuses them afterwards.
        if definition is None or name in self.visiting:
            return _NOTHING
        self.visiting.add(name)
        self.directives += len(definition.directives or ())
        measured = self.selection_set(definition.selection_set)
        self.visiting.discard(name)
        self.memo[name] = measured
        return measured

    def selection_set(self, selection_set: SelectionSetNode | None) -> _Measured:
        if selection_set is None:
            return _NOTHING
        depth = aliases = lists = 0
        for selection in selection_set.selections:
            self.directives += len(selection.directives or ())
            if isinstance(selection, FieldNode):
                inner = self.selection_set(selection.selection_set)
                name = selection.name.value
                inner_depth, inner_lists = inner.depth, inner.lists
                if name in _INTROSPECTION_ROOTS:
                    self.introspection_lists = max(self.introspection_lists, inner_lists)
                    inner_depth = 0
                depth = max(depth, 1 + inner_depth)
                lists = max(lists, inner_lists + (name in _INTROSPECTION_LISTS))
                aliases = saturated(aliases + inner.aliases + (selection.alias is not None))
                continue
            if isinstance(selection, InlineFragmentNode):
                inner = self.selection_set(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                inner = self.fragment(selection.name.value)
            else:
                continue
            depth, lists = max(depth, inner.depth), max(lists, inner.lists)
            aliases = saturated(aliases + inner.aliases)
        return _Measured(depth, aliases, lists)


def _definitions(
    document: DocumentNode,
) -> tuple[list[OperationDefinitionNode], dict[str, FragmentDefinitionNode]]:
    operations: list[OperationDefinitionNode] = []
    fragments: dict[str, FragmentDefinitionNode] = {}
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            operations.append(definition)
        elif isinstance(definition, FragmentDefinitionNode):
            fragments.setdefault(definition.name.value, definition)
    return operations, fragments


def document_shape(document: DocumentNode) -> DocumentShape:
    operations, fragments = _definitions(document)
    measure = _Measure(fragments)
    depth = aliases = 0
    for operation in operations:
        measure.directives += len(operation.directives or ())
        measured = measure.selection_set(operation.selection_set)
        depth, aliases = max(depth, measured.depth), max(aliases, measured.aliases)
    # Fragments no operation spreads still count towards the directives written.
    for name in fragments:
        measure.fragment(name)
    fragment_count = sum(
        isinstance(definition, FragmentDefinitionNode) for definition in document.definitions
    )
    return DocumentShape(
        depth, aliases, fragment_count, measure.directives, measure.introspection_lists
    )


def shape_refusals(shape: DocumentShape, limits: Limits) -> Iterator[GraphQLError]:
    if shape.fragments > limits.max_fragments:
        yield refusal(
            "TOO_MANY_FRAGMENTS",
            f"the document defines {shape.fragments} fragments, over the limit of "
            f"{limits.max_fragments}",
            limit=limits.max_fragments,
        )
    if shape.directives > limits.max_directives:
        yield refusal(
            "TOO_MANY_DIRECTIVES",
            f"the document uses {shape.directives} directives, over the limit of "
            f"{limits.max_directives}",
            limit=limits.max_directives,
        )
    if shape.depth > limits.max_depth:
        yield refusal(
            "QUERY_TOO_DEEP",
            f"the operation nests {_count(shape.depth)} levels, over the depth limit of "
            f"{limits.max_depth}",
            limit=limits.max_depth,
        )
    if shape.introspection_lists > MAX_INTROSPECTION_LISTS:
        yield refusal(
            "QUERY_TOO_DEEP",
            f"the introspection query nests {shape.introspection_lists} lists, over the "
            f"limit of {MAX_INTROSPECTION_LISTS}",
            limit=MAX_INTROSPECTION_LISTS,
        )
    if shape.aliases > limits.max_aliases:
        yield refusal(
            "TOO_MANY_ALIASES",
            f"the operation uses {_count(shape.aliases)} aliases (fragments expanded), over "
            f"the limit of {limits.max_aliases}",
            limit=limits.max_aliases,
        )


def _count(value: int) -> str:
    return f"more than {SATURATION - 1}" if value >= SATURATION else str(value)


def cost_refusal(cost: int, limits: Limits) -> GraphQLError | None:
    if cost <= limits.max_cost:
        return None
    return refusal(
        "QUERY_TOO_COSTLY",
        f"query cost {_count(cost)} exceeds the maximum of {limits.max_cost}: "
        "ask for smaller pages or fewer nested lists",
        limit=limits.max_cost,
    )
