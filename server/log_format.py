"""Log lines as text for people, or one JSON object per line for log pipelines (LOG_FORMAT).

A JSON line carries the request id and the GraphQL operation of the request that logged
it (from context variables set for each operation), and its duration where there is one.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

from server.settings import Settings

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
OPERATION: ContextVar[str | None] = ContextVar("operation", default=None)
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Fields a record may carry (`extra=`) that a JSON line reports.
_EXTRA_FIELDS = ("request_id", "operation", "duration_ms")


class RequestContext(logging.Filter):
    """Stamps every record with the request id and operation it was logged under."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = REQUEST_ID.get()
        if getattr(record, "operation", None) is None:
            record.operation = OPERATION.get()
        return True


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in _EXTRA_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestContext())
    handler.setFormatter(
        JsonLines() if settings.log_format == "json" else logging.Formatter(TEXT_FORMAT)
    )
    logging.basicConfig(level=settings.log_level, handlers=[handler], force=True)
