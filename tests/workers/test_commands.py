"""`stonks sync`, `stonks aggregate` and `stonks import-fx` as a user runs them."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import FxRate, PriceListing, PriceSnapshot, SyncRun
from server.settings import Settings
from tests.workers.conftest import RECORDINGS
from workers.context import Services
from workers.jobs.demo import seed_demo_catalog
from workers.settings import check_worker_health, create_worker


def _stonks(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    assert settings.database_url is not None
    assert settings.redis_url is not None
    env = os.environ | {
        "DATABASE_URL": settings.database_url.get_secret_value(),
        "REDIS_URL": settings.redis_url.get_secret_value(),
        "REDIS_NAMESPACE": settings.redis_namespace,
        "WORKER_QUEUE_NAME": settings.worker_queue_name,
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


async def test_sync_then_aggregate_from_the_command_line(
    worker_settings: Settings, services: Services, db: AsyncSession
) -> None:
    await seed_demo_catalog(services)

    synced = _stonks(worker_settings, "sync", "--source", "demo", "--fig-num", "sw0001a")
    unconfigured = _stonks(worker_settings, "sync", "--source", "bricklink", "--fig-num", "sw0001a")
    await db.execute(text("DELETE FROM price_snapshots"))
    await db.commit()
    aggregated = _stonks(worker_settings, "aggregate", "--from", "2020-01-01", "--to", "2100-01-01")

    assert synced.returncode == 0, synced.stderr
    assert "demo sw0001a: {'saved':" in synced.stdout
    assert unconfigured.returncode == 1
    assert "bricklink sw0001a: failed" in unconfigured.stdout
    assert "SECRET" not in unconfigured.stdout + unconfigured.stderr
    failed = await db.scalar(select(SyncRun.error).where(SyncRun.source == "bricklink"))
    assert failed is not None
    assert "SourceNotConfiguredError" in failed
    assert aggregated.returncode == 0, aggregated.stderr
    listings = await db.scalar(select(func.count()).select_from(PriceListing))
    snapshots = await db.scalar(select(func.count()).select_from(PriceSnapshot))
    assert listings
    assert snapshots
    assert f"recomputed {snapshots} snapshots" in aggregated.stdout


async def test_import_fx_from_an_ecb_file(
    worker_settings: Settings, services: Services, db: AsyncSession, tmp_path: Path
) -> None:
    result = _stonks(worker_settings, "import-fx", str(RECORDINGS / "ecb_eurofxref_hist.xml"))

    try:
        source = await db.scalar(
            select(FxRate.source).where(FxRate.currency == "GBP", FxRate.day == date(2026, 10, 2))
        )
    finally:
        # fx_rates outlive the test in the session's database: leave them as found.
        await db.execute(text("DELETE FROM fx_rates WHERE source = 'ecb'"))
        await db.commit()
    assert result.returncode == 0, result.stderr
    assert "imported 10 rates" in result.stdout
    assert source == "ecb"


async def test_worker_check_fails_when_no_worker_runs(worker_settings: Settings) -> None:
    env_settings = worker_settings.model_copy(update={"worker_queue_name": "nobody:listens"})
    result = _stonks(env_settings, "worker", "--check")
    assert result.returncode == 1


async def test_worker_check_passes_while_a_worker_runs(
    worker_settings: Settings, clean_tables: None
) -> None:
    quiet = worker_settings.model_copy(update={"demo_market": False})
    worker = create_worker(quiet, handle_signals=False, poll_delay=0.05)
    running = asyncio.create_task(worker.async_run())
    try:
        for _ in range(100):
            if await check_worker_health(quiet) == 0:
                break
            await asyncio.sleep(0.1)
        healthy = await check_worker_health(quiet)
    finally:
        # Stopped as SIGTERM stops it: a bare cancel can be swallowed by a Redis timeout.
        worker.handle_sig(signal.SIGTERM)
        with contextlib.suppress(asyncio.CancelledError):
            await running
        await worker.close()
    assert healthy == 0
