"""Counts GraphQL operations, their time and their errors by code (server/metrics.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from server import metrics


class OperationMetrics(SchemaExtension):
    """First among the extensions: it sees the errors after ErrorPolicy gave them codes."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context
        operation = metrics.operation_label(context.operation_name)
        kind = context.operation_type.value if context.operation_type else "invalid"
        metrics.REQUESTS.labels(operation, kind).inc()
        metrics.REQUEST_SECONDS.labels(operation).observe(time.perf_counter() - started)
        result = context.result
        for error in (result.errors or []) if result is not None else []:
            code = (error.extensions or {}).get("code", "UNKNOWN")
            metrics.ERRORS.labels(str(code)).inc()
