"""The ARQ worker runs jobs against the real database through real Redis."""

from __future__ import annotations

import asyncio
import signal
import uuid

import pytest
from arq import create_pool
from arq.connections import RedisSettings
from pydantic import SecretStr

from server.settings import Settings
from workers.settings import create_worker


async def test_worker_runs_a_job_against_the_database(database_url: str, redis_url: str) -> None:
    settings = Settings(
        _env_file=None, database_url=SecretStr(database_url), redis_url=SecretStr(redis_url)
    )
    queue = f"test:{uuid.uuid4().hex}"
    pool = await create_pool(RedisSettings.from_dsn(redis_url), default_queue_name=queue)
    worker = create_worker(settings, burst=True, queue_name=queue, handle_signals=False)
    try:
        job = await pool.enqueue_job("check_database")
        assert job is not None
        await worker.async_run()
        version = await job.result(timeout=10)
    finally:
        await worker.close()
        await pool.aclose()

    assert version.split(".")[0].isdigit()
    assert worker.jobs_complete == 1


async def test_after_sigterm_a_failing_poll_stops_the_worker_instead_of_retrying(
    database_url: str,
) -> None:
    # Nothing listens on port 1: every poll fails on Redis, which outside a stop is retried.
    settings = Settings(
        _env_file=None,
        database_url=SecretStr(database_url),
        redis_url=SecretStr("redis://127.0.0.1:1/0"),
    )
    worker = create_worker(settings, handle_signals=False)
    try:
        await worker._poll_iteration()  # an outage: backs off and returns
        assert worker._outage_delay > 0

        worker.handle_sig(signal.SIGTERM)

        with pytest.raises(asyncio.CancelledError):
            await worker._poll_iteration()
    finally:
        await worker.pool.aclose()
