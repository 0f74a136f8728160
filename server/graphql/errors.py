"""Error policy: expected failures reach the client as they are, the rest is masked.

Expected failures are either part of the schema (result unions with codes), raised as
`ClientError` (bad arguments), or request errors found before execution: a document
that does not parse (GRAPHQL_PARSE_FAILED), break a limit (its own code), validate
(GRAPHQL_VALIDATION_FAILED, including bad literal values) or variables that do not fit
their types (INVALID_VARIABLES). A database or Redis that cannot be reached is
SERVICE_UNAVAILABLE: the client may retry. Anything else is a bug: the client gets a
generic message and the request id; the log gets the full traceback under the same id.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import asyncpg
import redis.exceptions
import sqlalchemy.exc
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

logger = logging.getLogger("server.graphql")

INTERNAL_ERROR_MESSAGE = "Internal server error"
UNAVAILABLE_MESSAGE = "A backing service (database or Redis) is unavailable: retry shortly"

# What a server that is down, restarting or overloaded raises (directly or as the cause).
_UNAVAILABLE = (
    OSError,  # refused or reset connections, connect timeouts (TimeoutError)
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.TimeoutError,  # no pooled connection came free
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)


class ClientError(Exception):
    """A request the client can fix; `code` lands in the error's extensions."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        # graphql-core copies this onto the GraphQLError: how the code reaches clients
        # where the ErrorPolicy extension does not run (subscription events).
        self.extensions = {"code": code}


def is_unavailable(failure: BaseException | None) -> bool:
    seen = 0
    while failure is not None and seen < 10:
        if isinstance(failure, _UNAVAILABLE):
            return True
        failure, seen = failure.__cause__ or failure.__context__, seen + 1
    return False


def is_request_error(error: GraphQLError) -> bool:
    """Found in the document or variables before any resolver ran: it points at the
    document (nodes) but at no result path. Bad literal values and variables keep the
    scalar's exception as their original error, so that alone does not make them bugs."""
    return error.path is None and bool(error.nodes) and not is_unavailable(error.original_error)


def is_expected(error: GraphQLError) -> bool:
    # No original error: a parse, limit or validation error produced before execution.
    original = error.original_error
    return original is None or isinstance(original, ClientError) or is_request_error(error)


def code_of(error: GraphQLError) -> str:
    original = error.original_error
    if isinstance(original, ClientError):
        return original.code
    if is_unavailable(original):
        return "SERVICE_UNAVAILABLE"
    if original is None or is_request_error(error):
        # Limits and the parser code their refusals; graphql-core's rules do not.
        coded = (error.extensions or {}).get("code")
        if isinstance(coded, str):
            return coded
        return (
            "INVALID_VARIABLES"
            if error.message.startswith("Variable '$")
            else ("GRAPHQL_VALIDATION_FAILED")
        )
    return "INTERNAL_SERVER_ERROR"


def request_id_of(execution_context: ExecutionContext) -> str:
    return str(getattr(execution_context.context, "request_id", "unknown"))


def log_unexpected(errors: list[GraphQLError], execution_context: ExecutionContext) -> None:
    request_id = request_id_of(execution_context)
    for error in errors:
        if is_expected(error):
            continue
        if is_unavailable(error.original_error):
            logger.warning(
                "backing service unavailable (request id %s): %r",
                request_id,
                error.original_error,
            )
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
        code = code_of(error)
        extensions: dict[str, Any] = {"code": code}
        message = error.message
        if code == "SERVICE_UNAVAILABLE":
            message = UNAVAILABLE_MESSAGE
        elif code == "INTERNAL_SERVER_ERROR":
            extensions["requestId"] = request_id
            message = INTERNAL_ERROR_MESSAGE
        return GraphQLError(
            message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={**(error.extensions or {}), **extensions},
        )
