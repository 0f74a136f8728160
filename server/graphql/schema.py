"""The schema object; `stonks export-schema` prints it to `schema.graphql`."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.printer import print_schema
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from server.graphql.admission import OperationLimits
from server.graphql.errors import ErrorPolicy, log_unexpected
from server.graphql.metrics_extension import OperationMetrics
from server.graphql.mutation import Mutation
from server.graphql.query import Query
from server.graphql.subscription import Subscription
from server.graphql.sync_mutation import SyncMutation
from server.graphql.types.listing import Listing
from server.graphql.types.minifigure import Minifigure
from server.graphql.types.sources import DataSource, SyncRun


class StonksSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        if execution_context is not None:
            log_unexpected(errors, execution_context)


schema = StonksSchema(
    query=Query,
    subscription=Subscription,
    mutation=merge_types("Mutation", (Mutation, SyncMutation)),
    types=[Minifigure, Listing, DataSource, SyncRun],
    extensions=[
        OperationMetrics,
        OperationLimits,
        ErrorPolicy,
    ],
)


def schema_sdl() -> str:
    return print_schema(schema) + "\n"
