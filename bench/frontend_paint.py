"""First paint and data time of every page on a throttled phone, in Debian's chromium.

Starts a private redis-server and one API process (`stonks serve`, serving the built
frontend: run `make frontend` first) on a fresh migrated database holding the demo market's
history, then loads each page cold (new browser context: empty cache) in chromium emulating
a phone: 390x844, 1.6 Mbps down, 750 kbps up, 150 ms round trip, CPU slowed 4x.

Per page: first contentful paint (the Paint Timing API); "data", the moment the page's
first loaded price or row is in the DOM (a MutationObserver set before the page's first
byte); and on pages with a price chart, "chart", the moment its canvas is in the DOM (the
chart's library loads after the page's query is sent, and its readout shows the prices
before it). The reference, measured in the same run under the same throttling: the first paint
of a bare 1 KB response of the same server (`/healthz`), the floor any page pays for the
round trips alone.

    uv run python bench/frontend_paint.py --runs 3
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from playwright.async_api import Browser, async_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server import migrations
from server.app import FRONTEND_DIST
from tests.conftest import settings_for
from tests.databases import create_database, drop_database
from tests.frontend.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.live.servers import api_process, throwaway_redis
from workers.context import services_of
from workers.jobs.demo import backfill_demo, seed_demo_catalog
from workers.runner import job_context

PHONE = {"width": 390, "height": 844}
# Chrome DevTools' "Fast 3G"-like profile the issue names: bytes per second, milliseconds.
NETWORK = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
CPU_SLOWDOWN = 4


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    # The first element that shows loaded data.
    data: str
    # The drawn chart, on pages with one.
    chart: str | None = None


PAGES = [
    Page("market", "/", "[data-testid=active] li, .movers li", "figure.chart canvas"),
    Page("browse", "/browse", "[data-testid=results] tbody tr"),
    Page("minifigure", "/m/sw0001a", ".stats .money", "figure.chart canvas"),
    Page(
        "compare",
        "/compare?figs=sw0001a,sw0002",
        "[data-testid=chart-readout] .money",
        "figure.chart canvas",
    ),
    Page("sync", "/sync", "table.cards tbody tr"),
]
REFERENCE = Page("reference: /healthz", "/healthz", "body pre, body")

WATCH = """([selector, chart]) => {
  window.__dataAt = null;
  window.__chartAt = chart ? null : 0;
  const check = () => {
    if (window.__dataAt === null && document.querySelector(selector)) {
      window.__dataAt = performance.now();
    }
    if (window.__chartAt === null && document.querySelector(chart)) {
      window.__chartAt = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
  document.addEventListener('DOMContentLoaded', check);
}"""


@dataclass(frozen=True)
class Timing:
    paint_ms: float
    data_ms: float
    chart_ms: float | None


async def measure(browser: Browser, url: str, page_spec: Page) -> Timing:
    context = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = await context.new_page()
        cdp = await context.new_cdp_session(page)
        await cdp.send("Network.enable")
        await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        await cdp.send("Network.emulateNetworkConditions", NETWORK)
        await cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        watched = json.dumps([page_spec.data, page_spec.chart])
        await page.add_init_script(f"({WATCH})({watched})")
        await page.goto(url + page_spec.path, wait_until="commit", timeout=60_000)
        await page.wait_for_function(
            "window.__dataAt !== null && window.__chartAt !== null", timeout=60_000
        )
        paint = await page.evaluate(
            """() => {
              const entry = performance.getEntriesByName('first-contentful-paint')[0];
              return entry ? entry.startTime : null;
            }"""
        )
        if paint is None:
            await page.wait_for_timeout(200)
            paint = await page.evaluate(
                "() => performance.getEntriesByName('first-contentful-paint')[0].startTime"
            )
        data_at = await page.evaluate("window.__dataAt")
        chart_at = await page.evaluate("window.__chartAt")
        return Timing(
            paint_ms=float(paint),
            data_ms=float(data_at),
            chart_ms=float(chart_at) if page_spec.chart else None,
        )
    finally:
        await context.close()


async def run(url: str, runs: int) -> None:
    load_before = f"{os.getloadavg()[0]:.1f}"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            await measure(browser, url, PAGES[0])  # warm the server, not the browser
            results: dict[str, list[Timing]] = {}
            for _ in range(runs):
                # Interleaved, so drift on the shared machine hits every page alike.
                for spec in [REFERENCE, *PAGES]:
                    results.setdefault(spec.name, []).append(await measure(browser, url, spec))
        finally:
            await browser.close()
    floor = statistics.median(t.paint_ms for t in results[REFERENCE.name])
    print(
        f"Throttled phone: 390x844, {NETWORK['latency']} ms RTT, 1.6 Mbps down, "
        f"CPU {CPU_SLOWDOWN}x slower; cold cache; median of {runs} runs."
    )
    print(f"Load average before / after: {load_before} / {os.getloadavg()[0]:.1f}")
    print(
        "| page | first paint (ms) | data (ms) | chart (ms) "
        "| paint / reference | data / reference |"
    )
    print("|---|---|---|---|---|---|")
    for name, timings in results.items():
        paint = statistics.median(t.paint_ms for t in timings)
        data = statistics.median(t.data_ms for t in timings)
        charts = [t.chart_ms for t in timings if t.chart_ms is not None]
        chart_cell = f"{statistics.median(charts):.0f}" if charts else "—"
        data_cell = "—" if name == REFERENCE.name else f"{data:.0f}"
        ratio = "—" if name == REFERENCE.name else f"{data / floor:.2f}"
        print(
            f"| {name} | {paint:.0f} | {data_cell} | {chart_cell} | {paint / floor:.2f} | {ratio} |"
        )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--days", type=int, default=90, help="days of demo history")
    parser.add_argument(
        "--database-admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres"
    )
    args = parser.parse_args()
    if not (FRONTEND_DIST / "index.html").is_file():
        sys.exit(f"{FRONTEND_DIST} has no build: run `make frontend` first")
    db_url = await create_database(args.database_admin_url, prefix="stonks_bench")
    await asyncio.to_thread(migrations.upgrade, db_url)
    namespace = f"bench:{uuid.uuid4().hex}"
    try:
        with tempfile.TemporaryDirectory() as scratch, throwaway_redis(Path(scratch)) as redis:
            settings = settings_for(
                db_url,
                redis.url,
                redis_namespace=namespace,
                demo_backfill_days=args.days,
                statement_timeout_ms=300_000,
            )
            async with job_context(settings) as ctx:
                services = services_of(ctx)
                await seed_demo_catalog(services)
                await backfill_demo(services, today=datetime.now(UTC).date())
            with api_process(db_url, redis.url, namespace) as api:
                await run(f"http://127.0.0.1:{api.port}", args.runs)
    finally:
        await drop_database(args.database_admin_url, db_url)


if __name__ == "__main__":
    asyncio.run(main())
