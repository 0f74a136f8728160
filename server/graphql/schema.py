"""The schema object; `stonks export-schema` prints it to `schema.graphql`."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.printer import print_schema
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from server.graphql.admission import OperationLimits
from server.graphql.collectors.account_mutations import AccountMutation
from server.graphql.collectors.alert_mutations import AlertMutation
from server.graphql.collectors.alert_subscription import AlertSubscription
from server.graphql.collectors.collection_mutations import CollectionMutation
from server.graphql.collectors.import_mutations import ImportMutation
from server.graphql.collectors.queries import CollectorQuery
from server.graphql.collectors.subscription import CollectorSubscription
from server.graphql.deals.fields import DealQuery, DealSubscription
from server.graphql.errors import ErrorPolicy, log_unexpected
from server.graphql.metrics_extension import OperationMetrics
from server.graphql.mutation import Mutation
from server.graphql.query import Query
from server.graphql.series import StonksExecutionContext
from server.graphql.subscription import Subscription
from server.graphql.sync_mutation import SyncMutation
from server.graphql.types.listing import Listing
from server.graphql.types.minifigure import Minifigure
from server.graphql.types.sources import DataSource, SyncRun


def _with_collectors(base: type, extras: tuple[type, ...], name: str) -> type:
    """`base` plus the collectors' (and deals') fields, keeping the root type's name and
    description."""
    definition = base.__strawberry_definition__  # type: ignore[attr-defined]
    merged = type(name, (base, *extras), {})
    return strawberry.type(merged, name=name, description=definition.description)


class StonksSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        if execution_context is not None:
            log_unexpected(errors, execution_context)


schema = StonksSchema(
    query=_with_collectors(Query, (CollectorQuery, DealQuery), "Query"),
    subscription=_with_collectors(
        Subscription, (CollectorSubscription, AlertSubscription, DealSubscription), "Subscription"
    ),
    mutation=merge_types(
        "Mutation",
        (
            Mutation,
            SyncMutation,
            AccountMutation,
            CollectionMutation,
            ImportMutation,
            AlertMutation,
        ),
    ),
    types=[Minifigure, Listing, DataSource, SyncRun],
    # Completes long series in one pass (server/graphql/series.py).
    execution_context_class=StonksExecutionContext,
    extensions=[
        OperationMetrics,
        OperationLimits,
        ErrorPolicy,
    ],
)


def schema_sdl() -> str:
    return print_schema(schema) + "\n"
