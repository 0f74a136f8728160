"""ARQ worker configuration, built from Settings by `stonks worker` at start-up.

Schedule (UTC, ARQ cron). Each cron slot runs once across any number of workers
(workers/once.py); start-up jobs are enqueued under fixed job ids, so workers
starting together run them once; cron jobs are retried like any job (MAX_TRIES),
except the demo tick, whose next slot is as good as a retry:
- demo market (DEMO_MARKET, on by default in development): seed + backfill at
  start-up and 03:00, a tick every DEMO_TICK_SECONDS;
- marketplace prices: `schedule_prices` every 15 minutes enqueues the next slice of
  the catalog per configured source, sized to stay inside data_sources.daily_quota;
- catalog: Rebrickable import daily at 04:00 when REBRICKABLE_API_KEY is set;
- exchange rates: the ECB's daily reference rates at 16:30 (published around 16:00 CET);
- raw payloads older than RAW_RETENTION_DAYS are deleted daily at 05:00;
- snapshots: right after each ingest for the days it touched, and nightly at 02:00;
- runs left 'running' by a dead worker are marked failed every 5 minutes;
- events a dead worker committed but never sent are relayed from the outbox when a worker
  starts and every minute;
- alert webhooks: one job per firing, enqueued by the ingest that stored it (jobs/webhooks.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from signal import Signals
from typing import Any

from arq.connections import ArqRedis, RedisSettings
from arq.cron import CronJob, cron
from arq.worker import Function, Worker, async_check_health, func
from redis.exceptions import RedisError

from server.redis_client import create_redis
from server.settings import Settings
from workers.context import close_resources, open_resources, services_of
from workers.job_metrics import measured
from workers.jobs.aggregate import aggregate_days, aggregate_nightly
from workers.jobs.demo import demo_tick, seed_demo
from workers.jobs.fx import fetch_ecb_daily, load_shipped_rates
from workers.jobs.maintenance import check_database, reap_abandoned_runs
from workers.jobs.provenance import prune_raw_observations
from workers.jobs.sync import SCHEDULE_MINUTES, schedule_prices, sync_catalog, sync_prices
from workers.jobs.webhooks import UNCOMMITTED_TRIES, deliver_alert_webhook
from workers.once import once_per_job_id
from workers.pipeline.outbox import relay_outbox, relay_stale
from workers.retries import retrying

logger = logging.getLogger(__name__)

MAX_TRIES = 5
HEALTH_CHECK_INTERVAL_S = 30
# Redis outages: the worker waits and polls again, backing off up to this.
_REDIS_BACKOFF_MAX_S = 10.0
# A start-up job's result is kept this long: workers (re)starting meanwhile skip it.
STARTUP_KEPT_S = 600


async def on_startup(ctx: dict[str, Any]) -> None:
    await open_resources(ctx)
    services = services_of(ctx)
    await load_shipped_rates(services)
    await reap_abandoned_runs(ctx)
    # A restarted worker sends what a killed one left in the outbox at once, not at the
    # relay's next slot. Any age: a batch a live worker is about to deliver is either
    # locked by it (skipped) or appended once whoever publishes first (the batch marker).
    await relay_stale(services, timedelta(0))


def _startup_jobs(settings: Settings) -> list[str]:
    jobs = ["schedule_prices"]
    if settings.demo_market_enabled:
        jobs.append("seed_demo")
    return jobs


async def on_worker_startup(ctx: dict[str, Any]) -> None:
    """The long-lived worker's start: resources, then start-up jobs once per deployment."""
    await on_startup(ctx)
    settings = services_of(ctx).settings
    queue: ArqRedis = ctx["redis"]
    for name in _startup_jobs(settings):
        # ARQ refuses a job id that is queued, running or has a kept result.
        await queue.enqueue_job(
            name,
            _job_id=f"{settings.redis_namespace}:startup:{name}",
            _queue_name=settings.worker_queue_name,
        )


class ResilientWorker(Worker):
    """An ARQ worker that rides out Redis outages instead of exiting.

    A poll that fails on Redis is logged and retried with backoff; redis-py reconnects
    on the next command. Cron slots that fell inside the outage are skipped, later
    ones run on time; jobs interrupted by the outage are re-run by ARQ once their
    in-progress marker expires.
    """

    _outage_delay: float = 0.0
    _stopping = False

    def handle_sig(self, signum: Signals) -> None:
        # Remembered, because the cancellation ARQ sends its main task can be swallowed: a
        # Redis call's own timeout firing at that moment turns it into a TimeoutError, which
        # the outage handling below would retry (seen: a worker that ran on after SIGTERM).
        self._stopping = True
        super().handle_sig(signum)

    async def main(self) -> None:
        await self._wait_for_redis()
        await super().main()

    async def close(self) -> None:
        # On SIGTERM ARQ cancels running jobs (they are re-run later), then its close()
        # gathers them and re-raises their CancelledError: exit 1 for a clean stop.
        await asyncio.gather(*self.tasks.values(), return_exceptions=True)
        self.tasks.clear()
        await super().close()

    async def _wait_for_redis(self) -> None:
        while True:
            try:
                await self.pool.ping()
            except (RedisError, OSError) as error:
                await self._back_off(error)
            else:
                return

    async def _poll_iteration(self) -> None:
        if self._stopping:
            raise asyncio.CancelledError
        try:
            await super()._poll_iteration()
        except (RedisError, OSError) as error:
            if self._stopping:
                raise asyncio.CancelledError from error
            await self._back_off(error)
        else:
            if self._outage_delay:
                logger.warning("worker reached Redis again; polling resumes")
                self._outage_delay = 0.0

    async def _back_off(self, error: Exception) -> None:
        self._outage_delay = min(max(self._outage_delay * 2, 0.5), _REDIS_BACKOFF_MAX_S)
        logger.warning(
            "worker lost Redis (%s: %s); retrying in %.1fs",
            type(error).__name__,
            error,
            self._outage_delay,
        )
        await asyncio.sleep(self._outage_delay)


def _functions(settings: Settings) -> list[Function]:
    # Per-function limits, capped by WORKER_JOB_TIMEOUT_S: ARQ treats a job whose
    # in-progress marker outlives (longest timeout + 10 s) as abandoned and re-runs it,
    # so the cap also bounds how long a crashed worker's job waits to be picked up again.
    def limited(
        coroutine: Any, timeout_s: int, max_tries: int = MAX_TRIES, keep_result: int | None = None
    ) -> Function:
        timeout = min(timeout_s, settings.worker_job_timeout_s)
        return func(
            retrying(coroutine, timeout_s=timeout, max_tries=max_tries),
            timeout=timeout,
            max_tries=max_tries,
            keep_result=keep_result,
        )

    return [
        limited(check_database, 10),
        limited(reap_abandoned_runs, 30),
        limited(relay_outbox, 30),
        # No stored result: ARQ refuses a job id while its result exists, and a finished
        # sync must not block the next one for the same figure (the run row is the record).
        limited(sync_prices, 120, keep_result=0),
        limited(sync_catalog, 1800, max_tries=3),
        limited(aggregate_days, 600),
        limited(aggregate_nightly, 600),
        limited(schedule_prices, 60, keep_result=STARTUP_KEPT_S),
        limited(seed_demo, 1800, keep_result=STARTUP_KEPT_S),
        limited(demo_tick, 60, max_tries=1),
        limited(fetch_ecb_daily, 60, max_tries=3),
        limited(prune_raw_observations, 600, max_tries=3),
        limited(
            deliver_alert_webhook,
            60,
            max_tries=settings.alert_webhook_max_tries + UNCOMMITTED_TRIES,
        ),
    ]


def _every(seconds: int) -> dict[str, Any]:
    """ARQ cron fields firing every `seconds` (rounded to whole minutes above 60)."""
    if seconds < 60:
        return {"second": set(range(0, 60, seconds))}
    return {"minute": set(range(0, 60, max(1, seconds // 60))), "second": 0}


def _cron_jobs(settings: Settings) -> list[CronJob]:
    def slot(
        job: Callable[..., Awaitable[Any]], timeout_s: int, max_tries: int = MAX_TRIES, **when: Any
    ) -> CronJob:
        timeout = min(timeout_s, settings.worker_job_timeout_s)
        guarded = once_per_job_id(
            retrying(job, timeout_s=timeout, max_tries=max_tries), lease_s=timeout
        )
        return cron(
            guarded, name=f"cron:{job.__name__}", timeout=timeout, max_tries=max_tries, **when
        )

    jobs = [
        slot(aggregate_nightly, 600, hour={2}, minute={0}),
        slot(reap_abandoned_runs, 30, minute=set(range(0, 60, 5))),
        slot(relay_outbox, 30, second={30}),
        slot(fetch_ecb_daily, 60, max_tries=3, hour={16}, minute={30}),
        slot(prune_raw_observations, 600, max_tries=3, hour={5}, minute={0}),
        slot(schedule_prices, 60, minute=set(range(0, 60, SCHEDULE_MINUTES))),
    ]
    if settings.rebrickable_api_key is not None:
        jobs.append(slot(sync_catalog, 1800, max_tries=3, hour={4}, minute={0}))
    if settings.demo_market_enabled:
        jobs.append(slot(seed_demo, 1800, hour={3}, minute={0}))
        jobs.append(slot(demo_tick, 60, max_tries=1, **_every(settings.demo_tick_seconds)))
    return jobs


def create_worker(settings: Settings, **overrides: Any) -> ResilientWorker:
    # The pool comes from our factory: ARQ's own has no reply timeout, so a frozen
    # Redis would hang the worker for good.
    pool = ArqRedis(
        create_redis(settings).connection_pool, default_queue_name=settings.worker_queue_name
    )
    options: dict[str, Any] = {
        "functions": [measured(f) for f in _functions(settings)],
        "cron_jobs": [measured(job) for job in _cron_jobs(settings)],
        "on_startup": on_worker_startup,
        "on_shutdown": close_resources,
        "queue_name": settings.worker_queue_name,
        "job_timeout": settings.worker_job_timeout_s,
        "max_tries": MAX_TRIES,
        "health_check_interval": HEALTH_CHECK_INTERVAL_S,
        "redis_pool": pool,
        "ctx": {"settings": settings},
    }
    if overrides.get("burst"):
        # A burst worker drains what is queued and exits; schedules are for long-lived ones.
        options["cron_jobs"] = []
        options["on_startup"] = on_startup
    return ResilientWorker(**(options | overrides))


async def check_worker_health(settings: Settings) -> int:
    """0 when a worker on this queue recorded its health within the last interval, else 1."""
    if settings.redis_url is None:
        raise RuntimeError("no Redis configured: set REDIS_URL")
    redis_settings = RedisSettings.from_dsn(settings.redis_url.get_secret_value())
    return await async_check_health(redis_settings, None, settings.worker_queue_name)
