"""Counts GraphQL operations, their time and their errors by code (server/metrics.py).

It also logs one line per operation and marks what resolvers log with the request id and
the operation name (server/log_format.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from server import metrics
from server.log_format import OPERATION, REQUEST_ID

logger = logging.getLogger(__name__)


class OperationMetrics(SchemaExtension):
    """First among the extensions: it sees the errors after ErrorPolicy gave them codes."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        started = time.perf_counter()
        REQUEST_ID.set(str(getattr(context.context, "request_id", "")) or None)
        OPERATION.set(context.operation_name)
        try:
            yield
        finally:
            # Set, not reset: a subscription may end in another context than it began.
            REQUEST_ID.set(None)
            OPERATION.set(None)
        seconds = time.perf_counter() - started
        operation = metrics.operation_label(context.operation_name)
        # A document that did not parse has no operation type.
        kind = context.operation_type.value if context.graphql_document else "invalid"
        metrics.REQUESTS.labels(operation, kind).inc()
        metrics.REQUEST_SECONDS.labels(operation).observe(seconds)
        logger.info(
            "graphql %s %s",
            kind,
            operation,
            extra={
                "request_id": getattr(context.context, "request_id", None),
                "operation": operation,
                "duration_ms": round(seconds * 1000, 2),
            },
        )
        result = context.result
        for error in (result.errors or []) if result is not None else []:
            code = (error.extensions or {}).get("code", "UNKNOWN")
            metrics.ERRORS.labels(str(code)).inc()
