"""A real worker process SIGKILLed in the middle of an ingest that fires alerts: once
another worker has re-run the job, every rule has fired exactly once, on the right price.

The test holds the rules' row locks, so the worker stops inside its ingest transaction
(listings inserted, firings not yet stored) exactly where the kill is meant to land.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from pathlib import Path

import pytest
from arq import create_pool
from arq.connections import ArqRedis, RedisSettings
from arq.jobs import JobStatus
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from tests.alerts.conftest import new_account, rule
from workers.context import Services
from workers.jobs.demo import seed_demo_catalog
from workers.sources import demo

# ARQ re-runs a job whose worker died once its in-progress marker expires (timeout + 10 s).
JOB_TIMEOUT_S = 6
WAIT_S = 90

BLOCKED_ON_RULES = text(
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND wait_event_type = 'Lock' AND query LIKE '%alert_rules%'"
)
LISTINGS = text("SELECT count(*) FROM price_listings WHERE minifigure_id = :m")
# Per rule: its firings, and the first counted listing it watches (the one that must fire).
OUTCOME = text(
    """
    SELECT r.id,
           (SELECT array_agg(e.listing_id) FROM alert_events e WHERE e.alert_id = r.id),
           (SELECT l.id FROM price_listings l
            WHERE l.minifigure_id = r.minifigure_id AND l.condition = r.condition
              AND l.kind = r.kind AND l.excluded_reason IS NULL
            ORDER BY l.observed_at, l.id LIMIT 1)
    FROM alert_rules r WHERE r.account_id = :owner
    """
)


def _worker(
    database_url: str, redis_url: str, services: Services, log: Path
) -> subprocess.Popen[bytes]:
    settings = services.settings
    env = os.environ | {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "WORKER_QUEUE_NAME": settings.worker_queue_name,
        "REDIS_NAMESPACE": settings.redis_namespace,
        "WORKER_JOB_TIMEOUT_S": str(JOB_TIMEOUT_S),
        "DEMO_MARKET": "false",
        "LOG_LEVEL": "INFO",
    }
    with log.open("ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "server.cli", "worker"], env=env, stdout=sink, stderr=sink
        )


@pytest.fixture
async def queue(redis_url: str, services: Services) -> AsyncIterator[ArqRedis]:
    pool = await create_pool(
        RedisSettings.from_dsn(redis_url), default_queue_name=services.settings.worker_queue_name
    )
    yield pool
    await pool.aclose()


async def _until(check: Callable[[], Awaitable[bool]], what: str, log: Path) -> None:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}; the workers' log:\n{_tail(log)}")


def _tail(log: Path) -> str:
    return log.read_text()[-5000:]


async def test_a_worker_killed_mid_ingest_fires_each_rule_once_after_the_retry(
    database_url: str,
    redis_url: str,
    services: Services,
    committed: AsyncSession,
    engine: AsyncEngine,
    queue: ArqRedis,
    tmp_path: Path,
) -> None:
    await seed_demo_catalog(services)
    fig_num = demo.demo_catalog()[0].entry.fig_num
    minifigure_id = await committed.scalar(
        text("SELECT id FROM minifigures WHERE fig_num = :f"), {"f": fig_num}
    )
    owner = await new_account(committed)
    # Every price meets these: each rule fires on its first price and never again.
    for condition in ("NEW", "USED"):
        for kind in ("SOLD", "ASK"):
            await rule(
                committed,
                owner,
                minifigure_id,
                condition=condition,
                kind=kind,
                direction="ABOVE",
                price=Decimal("0.01"),
                currency="USD",
            )
    log = tmp_path / "worker.log"
    first = _worker(database_url, redis_url, services, log)
    second: subprocess.Popen[bytes] | None = None
    try:
        async with engine.connect() as lock:
            await lock.execute(
                text("SELECT id FROM alert_rules WHERE account_id = :o FOR UPDATE"), {"o": owner}
            )
            job = await queue.enqueue_job(
                "sync_prices", demo.SOURCE, fig_num, _job_id=f"alerts-kill-{uuid.uuid4().hex}"
            )
            assert job is not None

            async def blocked() -> bool:
                async with engine.connect() as probe:
                    return bool(await probe.scalar(BLOCKED_ON_RULES))

            await _until(blocked, "the worker to reach the alert rules", log)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            async with engine.connect() as probe:
                # Its listings were never committed.
                assert await probe.scalar(LISTINGS, {"m": minifigure_id}) == 0
            await lock.rollback()

        second = _worker(database_url, redis_url, services, log)

        async def complete() -> bool:
            # sync_prices keeps no result: a finished job is no longer known to ARQ.
            if await job.status() is not JobStatus.not_found:
                return False
            async with engine.connect() as probe:
                return bool(await probe.scalar(LISTINGS, {"m": minifigure_id}))

        await _until(complete, "the job to be re-run and complete", log)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)

    outcome = (await committed.execute(OUTCOME, {"owner": owner})).all()
    assert len(outcome) == 4
    fired = [(listing_ids, first_listing) for _, listing_ids, first_listing in outcome]
    assert any(first_listing is not None for _, first_listing in fired), _tail(log)
    for listing_ids, first_listing in fired:
        assert listing_ids == ([first_listing] if first_listing is not None else None)
