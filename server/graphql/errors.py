"""Error policy: expected failures reach the client as they are, the rest is masked.

Expected failures are either part of the schema (result unions with codes) or raised as
`ClientError` (bad arguments). Anything else is a bug: the client gets a generic message
and the request id; the log gets the full traceback under the same id.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

logger = logging.getLogger("server.graphql")

INTERNAL_ERROR_MESSAGE = "Internal server error"


class ClientError(Exception):
    """A request the client can fix; `code` lands in the error's extensions."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        # graphql-core copies this onto the GraphQLError: how the code reaches clients
        # where the ErrorPolicy extension does not run (subscription events).
        self.extensions = {"code": code}


def is_expected(error: GraphQLError) -> bool:
    # No original error: a parse or validation error produced by graphql-core itself.
    return error.original_error is None or isinstance(error.original_error, ClientError)


def request_id_of(execution_context: ExecutionContext) -> str:
    return str(getattr(execution_context.context, "request_id", "unknown"))


def log_unexpected(errors: list[GraphQLError], execution_context: ExecutionContext) -> None:
    request_id = request_id_of(execution_context)
    for error in errors:
        if is_expected(error):
            continue
        logger.error(
            "unexpected error in GraphQL operation (request id %s) at %s",
            request_id,
            error.path,
            exc_info=error.original_error,
        )


class ErrorPolicy(SchemaExtension):
    """Adds codes to expected errors and masks unexpected ones."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        request_id = request_id_of(self.execution_context)
        result.errors = [self._present(error, request_id) for error in result.errors]

    @staticmethod
    def _present(error: GraphQLError, request_id: str) -> GraphQLError:
        original = error.original_error
        extensions: dict[str, Any]
        if isinstance(original, ClientError):
            extensions = {"code": original.code}
            message = error.message
        elif original is None:
            # Limits and the parser code their refusals; graphql-core's validation does not.
            extensions = {"code": (error.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED")}
            message = error.message
        else:
            extensions = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
            message = INTERNAL_ERROR_MESSAGE
        return GraphQLError(
            message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={**(error.extensions or {}), **extensions},
        )
