"""Errors a source adapter raises. A failed fetch stores nothing.

The message is short and public (it is shown to anonymous clients as the run's error);
`detail` holds what only operators see, e.g. the start of a response body, scrubbed.

SourceError
 ├── SourceNotConfiguredError   credentials for the source are not set
 ├── SourceRejectedError        the source refused the request (bad credentials, 4xx)
 ├── MalformedResponseError     the payload is not in the format the parser knows
 └── SourceUnavailableError     transient: 429, 5xx, network; `retry_after` seconds if known
      ├── CircuitOpenError      too many consecutive failures: the source is left alone a while
      └── QuotaExhaustedError   the source's daily quota is spent until the next UTC day
"""

from __future__ import annotations


class SourceError(Exception):
    def __init__(self, source: str, message: str, *, detail: str | None = None) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.detail = detail


class SourceNotConfiguredError(SourceError):
    pass


class SourceRejectedError(SourceError):
    def __init__(
        self, source: str, status: int, reason: str = "", *, detail: str | None = None
    ) -> None:
        """`reason`: the source's own short error code, if it has one; the body goes in detail."""
        super().__init__(
            source, f"HTTP {status}: {reason}" if reason else f"HTTP {status}", detail=detail
        )
        self.status = status


class MalformedResponseError(SourceError):
    pass


class SourceUnavailableError(SourceError):
    def __init__(self, source: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(source, message)
        self.retry_after = retry_after


class CircuitOpenError(SourceUnavailableError):
    pass


class QuotaExhaustedError(SourceUnavailableError):
    pass
