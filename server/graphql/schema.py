"""The schema object; `stonks export-schema` prints it to `schema.graphql`."""

from __future__ import annotations

from functools import partial

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter
from strawberry.printer import print_schema
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from server.graphql.cost import QueryCost
from server.graphql.document_cache import DocumentCache
from server.graphql.errors import ErrorPolicy, log_unexpected
from server.graphql.mutation import Mutation
from server.graphql.query import Query
from server.graphql.series import StonksExecutionContext
from server.graphql.subscription import Subscription
from server.graphql.sync_mutation import SyncMutation
from server.graphql.types.listing import Listing
from server.graphql.types.minifigure import Minifigure
from server.graphql.types.sources import DataSource, SyncRun

MAX_QUERY_DEPTH = 12
MAX_ALIASES = 30


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
    # Completes long series in one pass (server/graphql/series.py).
    execution_context_class=StonksExecutionContext,
    extensions=[
        partial(QueryDepthLimiter, max_depth=MAX_QUERY_DEPTH),
        partial(MaxAliasesLimiter, max_alias_count=MAX_ALIASES),
        QueryCost,
        ErrorPolicy,
        # After the extensions that add validation rules: it validates with them.
        DocumentCache,
    ],
)


def schema_sdl() -> str:
    return print_schema(schema) + "\n"
