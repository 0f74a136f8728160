"""The web frontend in Debian's chromium against the real API, database, Redis and worker pipeline.

History comes from the demo market's backfill; live prices are committed through the
worker's own ingest pipeline (store, then publish after the commit), exactly as a
worker stores them, while the page stays open.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal

from playwright.async_api import BrowserContext, Page, WebSocketRoute, expect
from sqlalchemy import select

from server.models.catalog import Minifigure
from server.models.prices import PriceSnapshot
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


def used_sale(
    fig_num: str, price: Decimal, at: datetime, kind: Literal["SOLD", "ASK"] = "SOLD"
) -> Observation:
    return Observation(
        source=demo.SOURCE,
        external_id=f"e2e-{kind}-{fig_num}-{at:%Y%m%dT%H%M%S%f}",
        fig_num=fig_num,
        observed_at=at,
        kind=kind,
        condition="USED",
        price=price,
        currency="USD",
        title=f"LEGO minifigure {fig_num}",
    )


def todays_level(fig_num: str, at: datetime) -> Decimal:
    """A price right at the figure's market level, so it counts (not an outlier)."""
    figure = next(f for f in demo.demo_catalog() if f.entry.fig_num == fig_num)
    return Decimal(str(round(demo.price_level(figure, at.date()), 2)))


async def latest_used_median(services: Services, fig_num: str) -> Decimal:
    """The figure's last daily median of used sales (the backfill's last day: yesterday)."""
    async with services.session_factory() as session:
        median = await session.scalar(
            select(PriceSnapshot.median_usd)
            .join(Minifigure, Minifigure.id == PriceSnapshot.minifigure_id)
            .where(
                Minifigure.fig_num == fig_num,
                PriceSnapshot.condition == "USED",
                PriceSnapshot.median_usd.is_not(None),
            )
            .order_by(PriceSnapshot.day.desc())
            .limit(1)
        )
    assert median is not None
    return median


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
    sales_card = page.locator(".stat", has_text="Sales")
    sales_before = int((await sales_card.locator(".money").inner_text()).strip())
    volatility = page.locator(".stat", has_text="Volatility").locator(".money")
    volatility_before = await volatility.inner_text()
    await page.evaluate("window.__sameDocument = true")
    await subscribed(api, 1)

    now = datetime.now(UTC)
    # Yesterday's median again: a counted sale whose daily change is 0, which must move
    # the volatility (the deviation of the window's daily changes, far from 0 in the demo).
    price = await latest_used_median(services, LUKE)
    summary = await store_like_a_worker(services, [used_sale(LUKE, price, now)])
    assert summary.saved == 1

    fresh = page.get_by_test_id("listings").locator("tbody tr.fresh")
    await expect(fresh).to_have_count(1)
    await expect(fresh).to_contain_text(f"${price:,.2f}")
    await expect(fresh).to_contain_text("Yes")  # counted, not excluded
    await expect(page.locator(".stat", has_text="Last sale")).to_contain_text(f"${price:,.2f}")
    # The stats cards follow the sale: one more sale, of one more unit.
    await expect(sales_card.locator(".money")).to_have_text(str(sales_before + 1))
    await expect(volatility).not_to_have_text(volatility_before)
    await expect(page).to_have_title(f"{LUKE_NAME} · Minifigure Stonks")
    # Backfilled history ends yesterday: today's sale opens the chart's last bucket.
    await expect(chart).to_have_attribute("data-points", str(points_before + 1))
    assert await page.evaluate("window.__sameDocument === true"), "the page reloaded"
    await page.screenshot(path=artifacts / "detail-live.png", full_page=True)
    # The page followed the sale exactly as the server computes it: a fresh load agrees.
    fresh_load = await open_page(context, page.url)
    await expect(fresh_load.locator(".stat", has_text="Volatility").locator(".money")).to_have_text(
        await volatility.inner_text()
    )


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
    # Each row tells when, how many and at what price.
    await expect(ticker.first).to_contain_text(re.compile(r"\d\d:\d\d:\d\d UTC"))
    await expect(ticker.first).to_contain_text("qty 1")

    # An ask moves the tile to the front without hiding its known sale.
    await store_like_a_worker(
        services, [used_sale("sw0002", Decimal("15.50"), datetime.now(UTC), kind="ASK")]
    )
    await expect(ticker).to_have_count(3)
    await expect(active.first).to_contain_text("Obi-Wan Kenobi")
    await expect(active.first).to_contain_text("$14.00 · just now")
    await page.screenshot(path=artifacts / "home.png", full_page=True)


async def test_the_ticker_speaks_the_chosen_currency(
    context: BrowserContext, api: ApiProcess, services: Services
) -> None:
    page = await open_page(context, f"{base_url(api)}/")
    await page.get_by_label("Currency").select_option("EUR")
    await expect(page.get_by_role("heading", name="Live prices (EUR)")).to_be_visible()
    await subscribed(api, 1)
    await store_like_a_worker(services, [used_sale("sw0003", Decimal("20.00"), datetime.now(UTC))])
    tick = page.get_by_test_id("ticker").locator("li").first
    await expect(tick).to_contain_text("€")
    assert "$" not in await tick.inner_text()


class FlakySocket:
    """Sits between the page and the API's WebSocket; can cut it and refuse new ones."""

    def __init__(self) -> None:
        self.down = False
        self.open: list[tuple[WebSocketRoute, WebSocketRoute]] = []
        self.refused = 0

    async def handle(self, page_side: WebSocketRoute) -> None:
        if self.down:
            self.refused += 1
            await page_side.close(code=1013, reason="try again later")
            return
        self.open.append((page_side, page_side.connect_to_server()))

    async def cut(self, code: int) -> None:
        self.down = True
        for page_side, server_side in self.open:
            await page_side.close(code=code, reason="cut by the test")
            await server_side.close()
        self.open.clear()


async def test_the_page_reconnects_after_any_close_and_gets_the_missed_ticks(
    context: BrowserContext, api: ApiProcess, services: Services, artifacts: Path
) -> None:
    socket = FlakySocket()
    page = await context.new_page()
    page.set_default_timeout(20_000)
    await page.route_web_socket(re.compile(r"/graphql$"), socket.handle)
    await page.goto(f"{base_url(api)}/")
    status = page.locator(".live-status")
    await expect(status).to_have_text("● Live")
    await subscribed(api, 1)
    ticker = page.get_by_test_id("ticker").locator("li")
    await store_like_a_worker(services, [used_sale("sw0011", Decimal("11.00"), datetime.now(UTC))])
    await expect(ticker).to_have_count(1)

    # 4500 is one of the codes graphql-ws gives up on; the page must not.
    await socket.cut(4500)
    await expect(status).to_have_text(re.compile("Reconnecting|Offline"))
    await api.wait_for(lambda stats: stats["subscribers"] == 0, "the server seeing the close")
    missed = await store_like_a_worker(
        services,
        [
            used_sale("sw0028", Decimal("38.00"), datetime.now(UTC)),
            used_sale("sw0044", Decimal("12.00"), datetime.now(UTC)),
        ],
    )
    assert missed.saved == 2
    # Several refused attempts in a row: the header says the page is offline.
    await expect(status).to_have_text("Offline · retrying")
    assert socket.refused >= 2  # after the cut itself
    await page.screenshot(path=artifacts / "home-offline.png")

    socket.down = False
    await expect(status).to_have_text("● Live")
    # The resumed subscription replays what was stored while the socket was down.
    await expect(ticker).to_have_count(3)
    await expect(ticker.nth(0)).to_contain_text("Yoda")
    await expect(ticker.nth(1)).to_contain_text("Boba Fett")

    # And again after the server's slow-consumer close (4008).
    await socket.cut(4008)
    await expect(status).to_have_text(re.compile("Reconnecting|Offline"))
    socket.down = False
    await expect(status).to_have_text("● Live")
    await subscribed(api, 1)
    await store_like_a_worker(services, [used_sale("sw0101", Decimal("7.50"), datetime.now(UTC))])
    await expect(ticker).to_have_count(4)
    await expect(ticker.first).to_contain_text("Chewbacca")


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
