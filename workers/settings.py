"""ARQ worker configuration. The Redis location is supplied by `stonks worker` at start-up."""

from __future__ import annotations

from typing import Any, ClassVar

from arq.connections import RedisSettings
from arq.worker import Worker

from server.settings import Settings
from workers.context import close_resources, open_resources
from workers.jobs.maintenance import check_database


class WorkerSettings:
    functions: ClassVar[list[Any]] = [check_database]
    on_startup = open_resources
    on_shutdown = close_resources
    job_timeout = 300
    max_tries = 5
    health_check_interval = 30


def create_worker(settings: Settings, **overrides: Any) -> Worker:
    if settings.redis_url is None:
        raise RuntimeError("no Redis configured: start the embedded one or set REDIS_URL")
    return Worker(
        functions=WorkerSettings.functions,
        on_startup=WorkerSettings.on_startup,
        on_shutdown=WorkerSettings.on_shutdown,
        job_timeout=WorkerSettings.job_timeout,
        max_tries=WorkerSettings.max_tries,
        health_check_interval=WorkerSettings.health_check_interval,
        redis_settings=RedisSettings.from_dsn(settings.redis_url.get_secret_value()),
        ctx={"settings": settings},
        **overrides,
    )
