"""Jobs retried until they succeed or run out of tries, timeouts included.

ARQ re-runs a job only when it raises `Retry` (or its worker died); any other error,
and its own job timeout, end the job for good. Work that must not be lost (backfills,
the nightly recompute, the schedule, catalog imports, outbox relay) is therefore
wrapped: a failure becomes a deferred `Retry` with backoff while tries remain, and the
job's own deadline fires just before ARQ's, so a timed-out try is retried too. Work
already committed by a failed try stays (every job is idempotent and resumes).

A source's permanent refusal (bad credentials, a payload we cannot parse, no adapter)
is not retried: the next try would get the same answer.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, cast

from arq import Retry
from arq.typing import WorkerCoroutine

from workers.sources.errors import (
    MalformedResponseError,
    SourceNotConfiguredError,
    SourceRejectedError,
)
from workers.sources.etiquette import backoff_delay

logger = logging.getLogger(__name__)

PERMANENT = (SourceRejectedError, MalformedResponseError, SourceNotConfiguredError)
# The job's own deadline is this much shorter than ARQ's, so ours fires first.
DEADLINE_MARGIN_S = 2
_BACKOFF_BASE_S = 2.0
_BACKOFF_CAP_S = 120.0

Job = Callable[..., Awaitable[Any]]


def retrying(job: Job, *, timeout_s: int, max_tries: int) -> WorkerCoroutine:
    @functools.wraps(job)
    async def retried(ctx: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        try:
            async with asyncio.timeout(max(1, timeout_s - DEADLINE_MARGIN_S)):
                return await job(ctx, *args, **kwargs)
        except (Retry, *PERMANENT):
            raise
        except Exception as error:
            attempt = int(ctx.get("job_try", 1))
            if attempt >= max_tries:
                raise
            delay = backoff_delay(attempt, base=_BACKOFF_BASE_S, cap=_BACKOFF_CAP_S)
            logger.warning(
                "%s failed on try %d of %d (%s: %s); retrying in %.1fs",
                ctx.get("job_id"),
                attempt,
                max_tries,
                type(error).__name__,
                str(error) or "timed out",
                delay,
            )
            raise Retry(defer=delay) from error

    return cast(WorkerCoroutine, retried)
