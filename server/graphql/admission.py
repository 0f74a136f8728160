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
from typing import Any

from graphql import GraphQLError
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


class _RecentRefusals:
    """Documents refused whatever their variables (or sent without any), by text: a
    client (or attacker) repeating one is refused with a lookup instead of a parse.
    Bounded, least recent out."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.entries: OrderedDict[tuple[Limits, str], GraphQLError] = OrderedDict()

    def get(self, key: tuple[Limits, str]) -> GraphQLError | None:
        error = self.entries.get(key)
        if error is not None:
            self.entries.move_to_end(key)
        return error

    def put(self, key: tuple[Limits, str], error: GraphQLError) -> None:
        self.entries[key] = error
        self.entries.move_to_end(key)
        if len(self.entries) > self.capacity:
            self.entries.popitem(last=False)


_refused = _RecentRefusals(capacity=256)


class OperationLimits(SchemaExtension):
    """The one place the limits run: parsing within bounds, then the checks above,
    before graphql-core validates anything. Reports the cost in `extensions.cost`."""

    cost: int | None = None
    limits: Limits = Limits()

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        self.limits = limits_of(context.context)
        trusted: TrustedDocuments | None = getattr(context.context, "trusted_documents", None)
        if context.query and trusted is not None and (untrusted := trusted.refusal(context.query)):
            raise untrusted
        if context.graphql_document is None and context.query:
            key = (self.limits, context.query)
            if (known := _refused.get(key)) is not None:
                raise known
            try:
                context.graphql_document = parse_limited(context.query, self.limits)
            except GraphQLError as error:
                _refused.put(key, error)
                raise
        yield

    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.pre_execution_errors is None:
            refusals = list(shape_refusals(document_shape(document), self.limits))[:1]
            if refusals and context.query:
                _refused.put((self.limits, context.query), refusals[0])
            nul = nul_refusal(context.query, context.variables)
            refusals += [nul] if nul else []
            if not refusals:
                self.cost = operation_cost(document, context.operation_name, context.variables)
                too_costly = cost_refusal(self.cost, self.limits)
                if too_costly and not context.variables and not context.operation_name:
                    # Without variables the cost is the text's: repeats need no parse.
                    _refused.put((self.limits, context.query or ""), too_costly)
                refused = too_costly or await _rate_refusal(context.context, self.cost)
                refusals = [refused] if refused else []
            # Set before Strawberry's validation, which then neither validates nor executes.
            context.pre_execution_errors = refusals or validation_errors(context)
        yield

    def get_results(self) -> dict[str, Any]:
        if self.cost is None:
            return {}
        return {"cost": {"requested": self.cost, "maximum": self.limits.max_cost}}
