"""A real worker process killed with SIGKILL mid-job loses nothing once restarted."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from arq import create_pool
from arq.connections import RedisSettings
from arq.jobs import Job, JobStatus
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from server import migrations
from server.db import async_url
from tests.conftest import settings_for
from tests.databases import create_database, drop_database
from workers.jobs.demo import seed_demo
from workers.runner import job_context

# ARQ re-runs a job whose in-progress marker expired (timeout + 10 s) after its worker
# died; a try that times out still keeps the backfill chunks it committed.
JOB_TIMEOUT_S = 10
BACKFILL_DAYS = 90
WAIT_S = 180


@pytest.fixture
async def fresh_databases(postgres_admin_url: str) -> AsyncIterator[tuple[str, str]]:
    """Two new databases: one for the crashing worker, one for the clean run."""
    urls = [await create_database(postgres_admin_url) for _ in range(2)]
    for url in urls:
        await asyncio.to_thread(migrations.upgrade, url)
    yield urls[0], urls[1]
    for url in urls:
        await drop_database(postgres_admin_url, url)


def _worker(
    database_url: str, redis_url: str, namespace: str, log: Path
) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "WORKER_QUEUE_NAME": f"{namespace}:queue",
        "REDIS_NAMESPACE": namespace,
        "WORKER_JOB_TIMEOUT_S": str(JOB_TIMEOUT_S),
        "DEMO_MARKET": "false",
        "DEMO_BACKFILL_DAYS": str(BACKFILL_DAYS),
        "LOG_LEVEL": "INFO",
    }
    with log.open("ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "server.cli", "worker"], env=env, stdout=sink, stderr=sink
        )


async def _state(url: str) -> tuple[list[Any], list[Any]]:
    engine: AsyncEngine = create_async_engine(async_url(url))
    try:
        async with engine.connect() as connection:
            listings = await connection.execute(
                text(
                    "SELECT m.fig_num, l.source, l.external_id, l.observed_at, l.kind, "
                    "l.condition, l.quantity, l.price_usd, l.original_price, "
                    "l.original_currency, l.fx_rate, l.excluded_reason "
                    "FROM price_listings l JOIN minifigures m ON m.id = l.minifigure_id "
                    "ORDER BY l.source, l.external_id, l.observed_at"
                )
            )
            snapshots = await connection.execute(
                text(
                    "SELECT m.fig_num, s.day, s.condition, s.min_usd, s.max_usd, s.mean_usd, "
                    "s.median_usd, s.p25_usd, s.p75_usd, s.weighted_mean_usd, s.sold_count, "
                    "s.ask_count, s.excluded_count, s.sold_quantity, s.by_source "
                    "FROM price_snapshots s JOIN minifigures m ON m.id = s.minifigure_id "
                    "ORDER BY 1, 2, 3"
                )
            )
            return [tuple(r) for r in listings], [tuple(r) for r in snapshots]
    finally:
        await engine.dispose()


async def _backfill_started(url: str) -> None:
    engine = create_async_engine(async_url(url))
    try:
        for _ in range(WAIT_S * 20):
            async with engine.connect() as connection:
                running = await connection.scalar(
                    text("SELECT count(*) FROM sync_runs WHERE kind = 'backfill'")
                )
            if running:
                return
            await asyncio.sleep(0.05)
    finally:
        await engine.dispose()
    pytest.fail("the worker never started the backfill")


async def _complete(job: Job) -> None:
    for _ in range(WAIT_S * 4):
        if await job.status() is JobStatus.complete:
            return
        await asyncio.sleep(0.25)
    pytest.fail(f"job {job.job_id} did not complete after the restart")


async def test_sigkill_mid_job_then_restart_equals_a_clean_run(
    fresh_databases: tuple[str, str], redis_url: str, tmp_path: Path
) -> None:
    namespace = f"test:{uuid.uuid4().hex}"
    log = tmp_path / "worker.log"
    crashed_db, clean_db = fresh_databases
    pool = await create_pool(
        RedisSettings.from_dsn(redis_url), default_queue_name=f"{namespace}:queue"
    )
    first = _worker(crashed_db, redis_url, namespace, log)
    second: subprocess.Popen[bytes] | None = None
    try:
        job = await pool.enqueue_job("seed_demo", _job_id=f"{namespace}:seed")
        assert job is not None
        await _backfill_started(crashed_db)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert await job.status() is not JobStatus.complete

        second = _worker(crashed_db, redis_url, namespace, log)
        await _complete(job)
        await job.result(timeout=5)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)
        keys = [key async for key in pool.scan_iter(f"{namespace}*")]
        keys += [key async for key in pool.scan_iter(f"arq:*{namespace}*")]
        if keys:
            await pool.delete(*keys)
        await pool.aclose()

    # The clean run: the same job, uninterrupted, in the other database.
    clean_settings = settings_for(
        clean_db,
        redis_url,
        redis_namespace=f"{namespace}:clean",
        demo_backfill_days=BACKFILL_DAYS,
    )
    async with job_context(clean_settings) as ctx:
        await seed_demo(ctx)
    crashed, clean = await _state(crashed_db), await _state(clean_db)

    assert "seed_demo" in log.read_text()
    assert len(crashed[0]) > 10_000, log.read_text()
    assert len(crashed[1]) > 1_000
    assert crashed == clean
