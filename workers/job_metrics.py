"""Every job run counted and timed per function and outcome (server/metrics.py)."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import time
from typing import Any, TypeVar

from arq.cron import CronJob
from arq.worker import Function, Retry

from server import metrics

Job = TypeVar("Job", Function, CronJob)


def measured(job: Job) -> Job:
    """The same function or cron job, its coroutine wrapped to record each run."""
    coroutine = job.coroutine
    name = job.name.removeprefix("cron:")

    @functools.wraps(coroutine)
    async def run(ctx: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        outcome = "failed"
        try:
            result = await coroutine(ctx, *args, **kwargs)
            outcome = "succeeded"
            return result
        except Retry:
            outcome = "retried"
            raise
        except asyncio.CancelledError:
            # ARQ cancels a job at its timeout (and at shutdown).
            outcome = "cancelled"
            raise
        finally:
            metrics.JOB_RUNS.labels(name, outcome).inc()
            metrics.JOB_SECONDS.labels(name, outcome).observe(time.perf_counter() - started)

    return dataclasses.replace(job, coroutine=run)
