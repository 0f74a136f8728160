"""The web frontend in Debian's chromium against the real API, database, Redis and worker pipeline.

History comes from the demo market's backfill; live prices are committed through the
worker's own ingest pipeline (store, then publish after the commit), exactly as a
worker stores them, while the page stays open.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from playwright.async_api import BrowserContext, Page, expect

from tests.frontend.conftest import base_url
from tests.live.servers import ApiProcess
from workers.context import Services
from workers.pipeline.observation import Observation
from workers.pipeline.run import RunSummary, run_ingest
from workers.sources import demo

LUKE = "sw0001a"
LUKE_NAME = "Luke Skywalker (Tatooine)"


async def store_like_a_worker(
    services: Services, observations: Sequence[Observation]
) -> RunSummary:
    async def fetch() -> list[Observation]:
        return list(observations)

    return await run_ingest(services, source=demo.SOURCE, kind="tick", fetch=fetch)


def used_sale(fig_num: str, price: Decimal, at: datetime) -> Observation:
    return Observation(
        source=demo.SOURCE,
        external_id=f"e2e-{fig_num}-{at:%Y%m%dT%H%M%S%f}",
        fig_num=fig_num,
        observed_at=at,
        kind="SOLD",
        condition="USED",
        price=price,
        currency="USD",
        title=f"LEGO minifigure {fig_num}",
    )


def todays_level(fig_num: str, at: datetime) -> Decimal:
    """A price right at the figure's market level, so it counts (not an outlier)."""
    figure = next(f for f in demo.demo_catalog() if f.entry.fig_num == fig_num)
    return Decimal(str(round(demo.price_level(figure, at.date()), 2)))


async def subscribed(api: ApiProcess, at_least: int) -> None:
    await api.wait_for(lambda stats: stats["subscribers"] >= at_least, "the page subscribing")


async def open_page(context: BrowserContext, url: str) -> Page:
    page = await context.new_page()
    page.set_default_timeout(15_000)
    await page.goto(url)
    return page


async def test_browse_search_and_open_a_figure(
    context: BrowserContext, api: ApiProcess, artifacts: Path
) -> None:
    page = await open_page(context, f"{base_url(api)}/browse")
    rows = page.get_by_test_id("results").locator("tbody tr")
    await expect(rows).to_have_count(24)  # a full first page of the 48 demo figures
    await expect(page.get_by_text("48 minifigures")).to_be_visible()

    await page.get_by_label("Search").fill("skywalker tatooine")
    await expect(page).to_have_url(f"{base_url(api)}/browse?q=skywalker+tatooine")
    await expect(rows.first).to_contain_text(LUKE_NAME)
    await page.screenshot(path=artifacts / "browse-search.png", full_page=True)

    # The URL is the state: opening it afresh shows the same search.
    shared = await open_page(context, page.url)
    await expect(shared.get_by_label("Search")).to_have_value("skywalker tatooine")
    await expect(shared.get_by_test_id("results").locator("tbody tr").first).to_contain_text(
        LUKE_NAME
    )

    await rows.first.get_by_role("link").click()
    await expect(page).to_have_url(f"{base_url(api)}/m/{LUKE}")
    await expect(page.get_by_role("heading", level=1)).to_have_text(LUKE_NAME)
    chart = page.locator("figure.chart")
    await expect(chart.locator("canvas").first).to_be_visible()
    assert int(await chart.get_attribute("data-points") or 0) > 5  # daily buckets of 20 days
    await expect(page.get_by_role("link", name=f"{LUKE} on BrickLink")).to_have_attribute(
        "href", f"https://www.bricklink.com/v2/catalog/catalogitem.page?M={LUKE}"
    )


async def test_a_worker_committed_sale_appears_live_on_the_detail_page(
    context: BrowserContext, api: ApiProcess, services: Services, artifacts: Path
) -> None:
    page = await open_page(context, f"{base_url(api)}/m/{LUKE}?range=30D")
    chart = page.locator("figure.chart")
    await expect(chart.locator("canvas").first).to_be_visible()
    points_before = int(await chart.get_attribute("data-points") or 0)
    assert points_before > 5
    await page.evaluate("window.__sameDocument = true")
    await subscribed(api, 1)

    now = datetime.now(UTC)
    price = todays_level(LUKE, now)
    summary = await store_like_a_worker(services, [used_sale(LUKE, price, now)])
    assert summary.saved == 1

    fresh = page.get_by_test_id("listings").locator("tbody tr.fresh")
    await expect(fresh).to_have_count(1)
    await expect(fresh).to_contain_text(f"${price:,.2f}")
    await expect(fresh).to_contain_text("Yes")  # counted, not excluded
    await expect(page.locator(".stat", has_text="Last sale")).to_contain_text(f"${price:,.2f}")
    # Backfilled history ends yesterday: today's sale opens the chart's last bucket.
    await expect(chart).to_have_attribute("data-points", str(points_before + 1))
    assert await page.evaluate("window.__sameDocument === true"), "the page reloaded"
    await page.screenshot(path=artifacts / "detail-live.png", full_page=True)

    await page.emulate_media(color_scheme="dark")
    await page.screenshot(path=artifacts / "detail-dark.png", full_page=True)
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.screenshot(path=artifacts / "detail-phone.png", full_page=True)


async def test_the_home_ticker_moves(
    context: BrowserContext, api: ApiProcess, services: Services, artifacts: Path
) -> None:
    page = await open_page(context, f"{base_url(api)}/")
    await expect(page.get_by_text("Waiting for the next price")).to_be_visible()
    await expect(page.locator("figure.chart canvas").first).to_be_visible()  # the market index
    await subscribed(api, 1)

    ticker = page.get_by_test_id("ticker").locator("li")
    now = datetime.now(UTC)
    first = await store_like_a_worker(services, [used_sale("sw0002", Decimal("14.00"), now)])
    assert first.saved == 1
    await expect(ticker).to_have_count(1)
    await expect(ticker.first).to_contain_text("Obi-Wan Kenobi")

    later = datetime.now(UTC)
    await store_like_a_worker(services, [used_sale("sw0004", Decimal("18.00"), later)])
    await expect(ticker).to_have_count(2)
    await expect(ticker.first).to_contain_text("Darth Vader")
    active = page.get_by_test_id("active").locator("li")
    await expect(active.first).to_contain_text("Darth Vader")
    await expect(active.first).to_contain_text("$18.00 · just now")
    await page.screenshot(path=artifacts / "home.png", full_page=True)


async def test_sync_status_lists_the_runs(
    context: BrowserContext, api: ApiProcess, artifacts: Path
) -> None:
    page = await open_page(context, f"{base_url(api)}/sync")
    await expect(page.get_by_role("heading", name="Latest runs")).to_be_visible()
    await expect(page.get_by_role("cell", name="backfill")).to_be_visible()
    await page.screenshot(path=artifacts / "sync.png", full_page=True)


async def test_unknown_figures_and_pages_explain_themselves(
    context: BrowserContext, api: ApiProcess
) -> None:
    page = await open_page(context, f"{base_url(api)}/m/zz9999")
    await expect(page.get_by_text("No minifigure has the fig number “zz9999”")).to_be_visible()
    await page.goto(f"{base_url(api)}/browse?q=qqqqxxxxzzzz")
    await expect(page.get_by_text("No minifigure matches “qqqqxxxxzzzz”")).to_be_visible()
    await page.goto(f"{base_url(api)}/no/such/page")
    await expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
