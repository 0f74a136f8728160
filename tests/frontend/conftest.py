"""End-to-end fixtures: the built frontend served by a real API process, and Debian's chromium."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, async_playwright
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from server.app import FRONTEND_DIST
from tests.conftest import settings_for
from tests.live.servers import ApiProcess, api_process
from tests.redis_keys import drop_keys
from workers.context import Services, services_of
from workers.jobs.demo import backfill_demo, seed_demo_catalog
from workers.runner import job_context

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
# Never let Playwright fetch anything: the browser is the system's, and stays offline-safe.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BACKFILL_DAYS = 20


def _browser_required() -> bool:
    return os.environ.get("CI") == "true" or os.environ.get("REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="module")
def chromium() -> Path:
    """The system chromium: the tests fail without it in CI, and skip (saying why) elsewhere."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    message = f"no chromium at {CHROMIUM} (apt-get install chromium)"
    if _browser_required():
        pytest.fail(f"{message}, and CI=true or REQUIRE_BROWSER=1")
    pytest.skip(message)


@pytest.fixture(scope="module")
def built_frontend() -> Path:
    """The tests use the build `make test` made; they never build it themselves."""
    if not (FRONTEND_DIST / "index.html").is_file():
        pytest.fail(f"{FRONTEND_DIST} has no build: run `make frontend` (or `make test`)")
    return FRONTEND_DIST


@pytest.fixture(scope="module")
def namespace() -> str:
    return f"test:{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
async def services(
    engine: AsyncEngine, database_url: str, redis_url: str, namespace: str
) -> AsyncIterator[Services]:
    """A worker's services on the test database, with the demo market's history stored."""
    settings = settings_for(
        database_url,
        redis_url,
        redis_namespace=namespace,
        worker_queue_name=f"{namespace}:queue",
        demo_backfill_days=BACKFILL_DAYS,
        # The machine may be busy with other test runs: the backfill must not time out.
        statement_timeout_ms=120_000,
    )
    # Everything the worker start-up, the backfill and the tests write (FX rates included).
    tables = text(
        "TRUNCATE minifigures, price_listings, price_snapshots, sync_runs, fx_rates CASCADE"
    )
    async with engine.begin() as connection:
        await connection.execute(tables)
    async with job_context(settings) as ctx:
        services = services_of(ctx)
        await seed_demo_catalog(services)
        await backfill_demo(services, today=datetime.now(UTC).date())
        yield services
    async with engine.begin() as connection:
        await connection.execute(tables)
    await drop_keys(redis_url, f"{namespace}*")


@pytest.fixture(scope="module")
def api(
    built_frontend: Path, services: Services, database_url: str, redis_url: str, namespace: str
) -> Iterator[ApiProcess]:
    with api_process(database_url, redis_url, namespace) as process:
        yield process


@pytest.fixture(scope="module")
async def browser(chromium: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        await browser.close()


@pytest.fixture
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    """A fresh profile per test (no storage shared between tests)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    await context.close()


@pytest.fixture(scope="module")
def artifacts() -> Path:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


def base_url(api: ApiProcess) -> str:
    return f"http://127.0.0.1:{api.port}"
