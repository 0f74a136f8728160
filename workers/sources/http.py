"""HTTP with etiquette: every adapter's requests go through `SourceClient.get`."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import httpx

from server.redaction import scrub
from workers.sources.errors import SourceRejectedError, SourceUnavailableError
from workers.sources.etiquette import Etiquette, backoff_delay

_RETRIABLE = frozenset({429, 500, 502, 503, 504})
# How much of a refusal's body is kept (scrubbed) for the operator.
_DETAIL_CHARS = 500
_TIMEOUT_PHASES: dict[type[httpx.TransportError], str] = {
    httpx.ConnectTimeout: "connect",
    httpx.ReadTimeout: "read",
    httpx.WriteTimeout: "write",
    httpx.PoolTimeout: "pool",
}


def retry_after_seconds(response: httpx.Response, now: datetime | None = None) -> float | None:
    """Retry-After as delta-seconds or an HTTP date (RFC 9110 section 10.2.3)."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


def transport_problem(
    error: httpx.TransportError, method: str, url: str, elapsed_s: float, limits: httpx.Timeout
) -> str:
    """What failed, on which request, after how long: `ReadTimeout: read timed out ...`."""
    target = f"{method} {scrub(url)}"
    phase = _TIMEOUT_PHASES.get(type(error))
    if phase is not None:
        limit = getattr(limits, phase)
        return (
            f"{type(error).__name__}: {phase} timed out after {elapsed_s:.1f}s "
            f"(limit {limit}s) on {target}"
        )
    return f"{type(error).__name__}: {error or 'no detail'} after {elapsed_s:.1f}s on {target}"


class SourceClient:
    def __init__(
        self,
        source: str,
        http: httpx.AsyncClient,
        etiquette: Etiquette,
        *,
        secrets: Iterable[str] = (),
    ) -> None:
        self.source = source
        self.http = http
        self.etiquette = etiquette
        # Scrubbed from every message this client raises: credentials the source was sent.
        self.secrets = tuple(secrets)

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Sends with rate limit, quota and breaker; retries 429/5xx/network errors.

        Raises SourceUnavailableError when retries are spent or the server asks for a
        longer pause than is worth sleeping through; SourceRejectedError on other 4xx.
        """
        manners = self.etiquette
        last_problem = "no attempt made"
        retry_after: float | None = None
        for attempt in range(manners.max_attempts):
            await manners.breaker.check()
            await manners.bucket.acquire()
            if manners.quota is not None:
                await manners.quota.spend()
            started = time.monotonic()
            try:
                response = await self.http.request(method, url, **kwargs)
            except httpx.TransportError as error:
                await manners.breaker.record_failure()
                elapsed = time.monotonic() - started
                problem = transport_problem(error, method, url, elapsed, self.http.timeout)
                last_problem, retry_after = scrub(problem, self.secrets), None
            else:
                if response.status_code not in _RETRIABLE:
                    await manners.breaker.record_success()
                    if response.status_code >= 400:
                        detail = scrub(response.text[:_DETAIL_CHARS], self.secrets)
                        raise SourceRejectedError(self.source, response.status_code, detail=detail)
                    return response
                await manners.breaker.record_failure()
                last_problem = f"HTTP {response.status_code}"
                retry_after = retry_after_seconds(response)
            delay = max(
                retry_after or 0.0,
                backoff_delay(attempt, rng=manners.rng, cap=manners.max_inline_wait),
            )
            if attempt + 1 == manners.max_attempts or delay > manners.max_inline_wait:
                break
            await manners.sleep(delay)
        raise SourceUnavailableError(self.source, last_problem, retry_after)
