"""The error types of the collectors mutations (see `server.graphql.mutation_errors`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from server.graphql.mutation_errors import MutationError

if TYPE_CHECKING:
    from server.graphql.collectors.import_mutations import ImportRowPreview


@strawberry.type(description="A sign-up, sign-in, refresh or sign-out did nothing.")
class AuthError(MutationError):
    pass


@strawberry.type(description="An API key change did nothing.")
class ApiKeyError(MutationError):
    pass


@strawberry.type(description="A watchlist change did nothing.")
class WatchlistError(MutationError):
    pass


@strawberry.type(description="A holding change did nothing.")
class HoldingError(MutationError):
    pass


@strawberry.type(description="An import saved nothing.")
class HoldingsImportError(MutationError):
    rows: list[
        Annotated[ImportRowPreview, strawberry.lazy("server.graphql.collectors.import_mutations")]
    ] = strawberry.field(
        default_factory=list, description="With INVALID_ROWS: the rows with problems."
    )


@strawberry.type(description="An alert change did nothing.")
class AlertError(MutationError):
    pass
