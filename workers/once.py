"""Jobs that run once per job id across any number of workers.

ARQ gives each cron slot a job id (`cron:<name>:<slot time>`) and start-up jobs a fixed
one; several workers still enqueue and may pick the same slot (each worker enqueues its
own cron, and a slot re-enqueued after its result expired runs again). A Redis SET NX
keyed by the job id decides who runs it:

- taken as a lease while the job runs (expires with the job's timeout, so the re-run of
  a job whose worker was killed can take it);
- released when the job fails, so ARQ's retry may take it;
- kept as "done" for a while after success, so a late duplicate is skipped.
"""

from __future__ import annotations

import functools
import logging
from typing import Any, cast

from arq.typing import WorkerCoroutine

from workers.context import services_of

logger = logging.getLogger(__name__)

DONE_KEPT_S = 24 * 3600


def once_per_job_id(job: WorkerCoroutine, *, lease_s: int) -> WorkerCoroutine:
    @functools.wraps(job)
    async def guarded(ctx: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        services = services_of(ctx)
        key = f"{services.settings.redis_namespace}:once:{ctx['job_id']}"
        if not await services.redis.set(key, "running", nx=True, ex=lease_s):
            logger.info("%s: already done or running on another worker; skipped", ctx["job_id"])
            return None
        try:
            result = await job(ctx, *args, **kwargs)
        except BaseException:
            await services.redis.delete(key)
            raise
        await services.redis.set(key, "done", ex=DONE_KEPT_S)
        return result

    return cast(WorkerCoroutine, guarded)
