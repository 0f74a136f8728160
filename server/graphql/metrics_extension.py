"""Counts GraphQL operations, their time and their errors by code (server/metrics.py).

It also logs one line per operation and marks what resolvers log with the request id and
the operation name (server/log_format.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from server import metrics
from server.log_format import OPERATION, REQUEST_ID

logger = logging.getLogger(__name__)

# What a document refused before it was parsed (or admitted) is counted as.
INVALID = "invalid"


def record_operation(
    request_id: str | None,
    operation_name: str | None,
    kind: str,
    started: float,
    errors: list[GraphQLError],
) -> None:
    """Counts and logs one operation that began at `started` (perf_counter)."""
    seconds = time.perf_counter() - started
    operation = metrics.operation_label(operation_name)
    metrics.REQUESTS.labels(operation, kind).inc()
    metrics.REQUEST_SECONDS.labels(operation).observe(seconds)
    logger.info(
        "graphql %s %s",
        kind,
        operation,
        extra={
            "request_id": request_id,
            "operation": operation,
            "duration_ms": round(seconds * 1000, 2),
        },
    )
    for error in errors:
        code = (error.extensions or {}).get("code", "UNKNOWN")
        metrics.ERRORS.labels(str(code)).inc()


class OperationMetrics(SchemaExtension):
    """First among the extensions: it sees the errors after ErrorPolicy gave them codes."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        started = time.perf_counter()
        request_id = getattr(context.context, "request_id", None)
        REQUEST_ID.set(str(request_id or "") or None)
        OPERATION.set(context.operation_name)
        try:
            yield
        except GraphQLError as refused:
            # Refused while parsing (server.graphql.admission): the error leaves through
            # here, and Strawberry answers it after the extensions are done. Only an
            # Exception is counted: a cancelled operation (CancelledError, GeneratorExit
            # when a subscription ends) was never answered.
            record_operation(request_id, context.operation_name, INVALID, started, [refused])
            raise
        finally:
            # Set, not reset: a subscription may end in another context than it began.
            REQUEST_ID.set(None)
            OPERATION.set(None)
        # A document that did not parse has no operation type.
        kind = context.operation_type.value if context.graphql_document else INVALID
        result = context.result
        errors = (result.errors or []) if result is not None else []
        record_operation(request_id, context.operation_name, kind, started, errors)
