"""ARQ worker configuration, built from Settings by `stonks worker` at start-up.

Schedule (UTC, ARQ cron; `unique` cron ids keep several workers from doubling up):
- demo market (DEMO_MARKET, on by default in development): seed + backfill at
  start-up and 03:00, a tick every DEMO_TICK_SECONDS;
- marketplace prices: `schedule_prices` every 15 minutes enqueues the next slice of
  the catalog per configured source, sized to stay inside data_sources.daily_quota;
- catalog: Rebrickable import daily at 04:00 when REBRICKABLE_API_KEY is set;
- exchange rates: the ECB's daily reference rates at 16:30 (published around 16:00 CET);
- raw payloads older than RAW_RETENTION_DAYS are deleted daily at 05:00;
- snapshots: right after each ingest for the days it touched, and nightly at 02:00;
- runs left 'running' by a dead worker are marked failed every 5 minutes;
- events a dead worker committed but never sent are relayed from the outbox every minute.
"""

from __future__ import annotations

from typing import Any

from arq.connections import RedisSettings
from arq.cron import CronJob, cron
from arq.worker import Function, Worker, async_check_health, func

from server.settings import Settings
from workers.context import close_resources, open_resources, services_of
from workers.jobs.aggregate import aggregate_days, aggregate_nightly
from workers.jobs.demo import demo_tick, seed_demo
from workers.jobs.fx import fetch_ecb_daily, load_shipped_rates
from workers.jobs.maintenance import check_database, reap_abandoned_runs
from workers.jobs.provenance import prune_raw_observations
from workers.jobs.sync import SCHEDULE_MINUTES, schedule_prices, sync_catalog, sync_prices
from workers.pipeline.outbox import relay_outbox

MAX_TRIES = 5
HEALTH_CHECK_INTERVAL_S = 30


async def on_startup(ctx: dict[str, Any]) -> None:
    await open_resources(ctx)
    services = services_of(ctx)
    await load_shipped_rates(services)
    await reap_abandoned_runs(ctx)


def _functions(settings: Settings) -> list[Function]:
    # Per-function limits, capped by WORKER_JOB_TIMEOUT_S: ARQ treats a job whose
    # in-progress marker outlives (longest timeout + 10 s) as abandoned and re-runs it,
    # so the cap also bounds how long a crashed worker's job waits to be picked up again.
    def limited(
        coroutine: Any, timeout_s: int, max_tries: int = MAX_TRIES, keep_result: int | None = None
    ) -> Function:
        return func(
            coroutine,
            timeout=min(timeout_s, settings.worker_job_timeout_s),
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
        limited(schedule_prices, 60),
        limited(aggregate_days, 600),
        limited(aggregate_nightly, 600),
        limited(seed_demo, 600, max_tries=3),
        limited(demo_tick, 60, max_tries=1),
        limited(fetch_ecb_daily, 60, max_tries=3),
        limited(prune_raw_observations, 600, max_tries=3),
    ]


def _every(seconds: int) -> dict[str, Any]:
    """ARQ cron fields firing every `seconds` (rounded to whole minutes above 60)."""
    if seconds < 60:
        return {"second": set(range(0, 60, seconds))}
    return {"minute": set(range(0, 60, max(1, seconds // 60))), "second": 0}


def _cron_jobs(settings: Settings) -> list[CronJob]:
    jobs = [
        cron(aggregate_nightly, hour={2}, minute={0}),
        cron(reap_abandoned_runs, minute=set(range(0, 60, 5))),
        cron(relay_outbox, second={30}),
        cron(fetch_ecb_daily, hour={16}, minute={30}),
        cron(prune_raw_observations, hour={5}, minute={0}),
        cron(schedule_prices, minute=set(range(0, 60, SCHEDULE_MINUTES)), run_at_startup=True),
    ]
    if settings.rebrickable_api_key is not None:
        jobs.append(cron(sync_catalog, hour={4}, minute={0}))
    if settings.demo_market_enabled:
        jobs.append(cron(seed_demo, hour={3}, minute={0}, run_at_startup=True))
        jobs.append(cron(demo_tick, **_every(settings.demo_tick_seconds)))
    return jobs


def create_worker(settings: Settings, **overrides: Any) -> Worker:
    if settings.redis_url is None:
        raise RuntimeError("no Redis configured: start the embedded one or set REDIS_URL")
    options: dict[str, Any] = {
        "functions": _functions(settings),
        "cron_jobs": _cron_jobs(settings),
        "on_startup": on_startup,
        "on_shutdown": close_resources,
        "queue_name": settings.worker_queue_name,
        "job_timeout": settings.worker_job_timeout_s,
        "max_tries": MAX_TRIES,
        "health_check_interval": HEALTH_CHECK_INTERVAL_S,
        "redis_settings": RedisSettings.from_dsn(settings.redis_url.get_secret_value()),
        "ctx": {"settings": settings},
    }
    if overrides.get("burst"):
        # A burst worker drains what is queued and exits; schedules are for long-lived ones.
        options["cron_jobs"] = []
    return Worker(**(options | overrides))


async def check_worker_health(settings: Settings) -> int:
    """0 when a worker on this queue recorded its health within the last interval, else 1."""
    if settings.redis_url is None:
        raise RuntimeError("no Redis configured: set REDIS_URL")
    redis_settings = RedisSettings.from_dsn(settings.redis_url.get_secret_value())
    return await async_check_health(redis_settings, None, settings.worker_queue_name)
