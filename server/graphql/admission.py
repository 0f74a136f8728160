"""Admission: what an operation passes before it runs, in one Strawberry extension.

In order, for HTTP and WebSocket alike: trusted documents (when only those may run),
parsing within the size and token limits, the document limits and the cost
(`server.graphql.limits`), NUL characters (`server.graphql.inputs`), the caller's rate
limit (`server.ratelimit`), then graphql-core's validation under the production policy
(suggestions, introspection). A refusal is set before Strawberry validates, so nothing
after it runs, and no SQL.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator
from typing import Any, Generic, TypeVar

from graphql import DocumentNode, GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule, validate
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule
from strawberry.types import ExecutionContext

from server.graphql.cost import operation_cost
from server.graphql.inputs import nul_refusal
from server.graphql.limits import (
    Limits,
    cost_refusal,
    document_shape,
    length_refusal,
    parse_limited,
    refusal,
    shape_refusals,
)
from server.graphql.trusted import TrustedDocuments
from server.ratelimit import RateLimitSlot
from server.settings import Settings


async def _rate_refusal(context: Any, cost: int) -> GraphQLError | None:
    """Draws the cost from the caller's bucket (server.ratelimit); RATE_LIMITED if empty."""
    slot: RateLimitSlot | None = getattr(context, "rate_limit", None)
    decision = await slot.charge(cost) if slot is not None else None
    if decision is None or decision.allowed:
        return None
    return refusal(
        "RATE_LIMITED",
        f"rate limit reached: this operation costs {cost} of a budget of {decision.limit} "
        f"that {decision.remaining} remain of; retry in {decision.retry_after_s} s",
        retryAfter=decision.retry_after_s,
        limit=decision.limit,
    )


def validation_errors(execution: ExecutionContext) -> list[GraphQLError]:
    """graphql-core's validation under the production policy: suggestions ("Did you mean
    ...?") only where GRAPHQL_SUGGESTIONS allows, introspection only where
    GRAPHQL_INTROSPECTION does."""
    settings = getattr(execution.context, "settings", None)
    introspection = settings.graphql_introspection if isinstance(settings, Settings) else True
    suggestions = settings.graphql_suggestions_enabled if isinstance(settings, Settings) else True
    rules = [*execution.validation_rules, MaybeNullValidationRule, OneOfInputValidationRule]
    if not introspection:
        rules.append(NoSchemaIntrospectionCustomRule)
    assert execution.graphql_document is not None
    return validate(
        execution.schema._schema,
        execution.graphql_document,
        rules,
        hide_suggestions=not suggestions,
    )


def limits_of(context: Any) -> Limits:
    settings = getattr(context, "settings", None)
    return Limits.from_settings(settings) if isinstance(settings, Settings) else Limits()


K = TypeVar("K")
V = TypeVar("V")


class _LeastRecentlyUsed(Generic[K, V]):
    """Bounded, least recent out: a stream of unique documents cannot grow memory."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self.entries.get(key)
        if value is not None:
            self.entries.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self.entries[key] = value
        self.entries.move_to_end(key)
        if len(self.entries) > self.capacity:
            self.entries.popitem(last=False)


class _Admitted:
    """A document that parsed within the limits and passed its shape checks, with what
    validation said of it (computed once, on first use). Validation depends on the
    document, the schema and the policy only, never on variables, so clients sending the
    same few documents pay for parsing and validation once; 10,000 live subscriptions of
    one query share one AST."""

    __slots__ = ("document", "validation")

    def __init__(self, document: DocumentNode) -> None:
        self.document = document
        self.validation: list[GraphQLError] | None = None


_Key = tuple[Limits, bool, bool, str]


class _Refused:
    """A refusal remembered by text. `any_request`: the text's own (parsing, shape), so
    every request sending it is refused; otherwise (cost) only those without variables
    or an operation name, as the one it was found for."""

    __slots__ = ("any_request", "error")

    def __init__(self, error: GraphQLError, *, any_request: bool) -> None:
        self.error = error
        self.any_request = any_request


# Documents refused, by text: a client (or attacker) repeating one is refused with a
# lookup instead of a parse.
_refused: _LeastRecentlyUsed[_Key, _Refused] = _LeastRecentlyUsed(capacity=256)
_admitted: _LeastRecentlyUsed[_Key, _Admitted] = _LeastRecentlyUsed(capacity=512)


def _settings(context: Any) -> Settings | None:
    settings = getattr(context, "settings", None)
    return settings if isinstance(settings, Settings) else None


def _key(settings: Settings | None, query: str) -> _Key:
    if settings is None:
        return (Limits(), True, True, query)
    return (
        Limits.from_settings(settings),
        settings.graphql_introspection,
        settings.graphql_suggestions_enabled,
        query,
    )


def is_bare(variables: object, operation_name: str | None) -> bool:
    """Neither variables nor an operation name: the text alone decides the cost."""
    return not variables and not operation_name


def admit(
    settings: Settings | None, trusted: TrustedDocuments | None, query: str, *, bare: bool
) -> _Admitted | GraphQLError:
    """The parsed document, or why the text is refused before anything else runs: not a
    trusted document, a refusal remembered for it, or one found parsing it within the
    limits and measuring its shape. `bare`: see `is_bare` (a remembered cost refusal
    applies to such requests only).

    Needs no context: the HTTP endpoint calls it before building one, so a refusal costs
    no credential check, no loaders and no rate-limit round trip."""
    if trusted is not None and (untrusted := trusted.refusal(query)):
        return untrusted
    key = _key(settings, query)
    limits = key[0]
    if too_large := length_refusal(query, limits):
        # Refused by its length alone, and never remembered: the memos keep short texts
        # only, so 256 refused texts near the body limit cannot hold 256 MiB.
        return too_large
    if (known := _refused.get(key)) is not None and (known.any_request or bare):
        return known.error
    if (admitted := _admitted.get(key)) is not None:
        return admitted
    try:
        document = parse_limited(query, limits)
    except GraphQLError as error:
        _refused.put(key, _Refused(error, any_request=True))
        return error
    shape = next(shape_refusals(document_shape(document), limits), None)
    if shape is not None:
        _refused.put(key, _Refused(shape, any_request=True))
        return shape
    admitted = _Admitted(document)
    _admitted.put(key, admitted)
    return admitted


class OperationLimits(SchemaExtension):
    """The one place the limits run: parsing within bounds, then the checks above,
    before graphql-core validates anything. Reports the cost in `extensions.cost`."""

    cost: int | None = None
    limits: Limits = Limits()
    admitted: _Admitted | None = None

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        self.limits = limits_of(context.context)
        if context.graphql_document is None and context.query:
            outcome = admit(
                _settings(context.context),
                getattr(context.context, "trusted_documents", None),
                context.query,
                bare=is_bare(context.variables, context.operation_name),
            )
            if isinstance(outcome, GraphQLError):
                raise outcome
            self.admitted = outcome
            context.graphql_document = outcome.document
        yield

    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.pre_execution_errors is None:
            nul = nul_refusal(context.query, context.variables)
            refusals = [nul] if nul else []
            if not refusals:
                self.cost = operation_cost(document, context.operation_name, context.variables)
                too_costly = cost_refusal(self.cost, self.limits)
                if too_costly and is_bare(context.variables, context.operation_name):
                    # Without variables the cost is the text's: repeats need no parse.
                    key = _key(_settings(context.context), context.query or "")
                    _refused.put(key, _Refused(too_costly, any_request=False))
                refused = too_costly or await _rate_refusal(context.context, self.cost)
                refusals = [refused] if refused else []
            # Set before Strawberry's validation, which then neither validates nor executes.
            context.pre_execution_errors = refusals or self._validation(context)
        yield

    def _validation(self, context: ExecutionContext) -> list[GraphQLError]:
        admitted = self.admitted
        if admitted is None:  # a document given parsed (not by text): nothing to reuse
            return validation_errors(context)
        if admitted.validation is None:
            admitted.validation = validation_errors(context)
        return admitted.validation

    def get_results(self) -> dict[str, Any]:
        if self.cost is None:
            return {}
        return {"cost": {"requested": self.cost, "maximum": self.limits.max_cost}}
