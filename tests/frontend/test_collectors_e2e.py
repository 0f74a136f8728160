"""A collector in chromium: sign up, watch a figure, add a holding, and see the portfolio's
value move when the worker's own ingest pipeline stores a new sale."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from playwright.async_api import BrowserContext, expect

from tests.frontend.conftest import base_url
from tests.frontend.test_e2e import (
    LUKE,
    LUKE_NAME,
    open_page,
    store_like_a_worker,
    todays_level,
    used_sale,
)
from tests.live.servers import ApiProcess
from workers.context import Services


async def test_sign_up_watch_hold_and_see_the_portfolio_value_move_live(
    context: BrowserContext, api: ApiProcess, services: Services, artifacts: Path
) -> None:
    page = await open_page(context, f"{base_url(api)}/sign-in?new=1")
    await page.get_by_label("Email").fill(f"e2e-{uuid.uuid4().hex[:8]}@example.com")
    await page.get_by_label("Password").fill("a long enough password")
    await page.get_by_role("button", name="Create account").click()
    await expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()
    await expect(page.get_by_text("No holdings yet")).to_be_visible()

    # A new page load: the session stays (localStorage).
    await page.goto(f"{base_url(api)}/m/{LUKE}")
    await expect(page.get_by_role("heading", name=LUKE_NAME)).to_be_visible()
    await page.get_by_role("button", name="Watch (used)").click()
    await expect(page.get_by_role("button", name="Watching (used) ✓")).to_be_visible()
    await page.get_by_role("button", name="Add to portfolio").click()
    form = page.get_by_role("form", name="Add to portfolio")
    await form.get_by_label("Quantity").fill("2")
    await form.get_by_label("Unit cost").fill("5.00")
    await form.get_by_role("button", name="Save (used)").click()
    await expect(page.get_by_text("Added to your portfolio.")).to_be_visible()

    await page.get_by_role("navigation").get_by_role("link", name="Watchlist").click()
    await expect(page.get_by_test_id("watchlist")).to_contain_text(LUKE_NAME)
    await page.get_by_role("navigation").get_by_role("link", name="Portfolio").click()
    holdings = page.get_by_test_id("holdings")
    await expect(holdings).to_contain_text(LUKE_NAME)
    await expect(holdings).to_contain_text("$5.00")
    await page.evaluate("window.__sameDocument = true")
    await api.wait_for(lambda stats: stats["subscribers"] >= 1, "the portfolio subscribing")

    now = datetime.now(UTC)
    price = todays_level(LUKE, now) + Decimal("0.37")  # a price the figure did not have
    summary = await store_like_a_worker(services, [used_sale(LUKE, price, now)])
    assert summary.saved == 1

    await expect(page.get_by_test_id("portfolio-value")).to_have_text(f"${2 * price:,.2f}")
    await expect(holdings).to_contain_text(f"${price:,.2f}")
    assert await page.evaluate("window.__sameDocument === true"), "the page reloaded"
    await page.screenshot(path=artifacts / "portfolio-live.png", full_page=True)
    await page.set_viewport_size({"width": 390, "height": 844})
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    # Holdings become cards: every price of every holding is on screen, none scrolled away.
    holding_prices = await page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=holdings] .money')].map((el) => {
          const r = el.getBoundingClientRect();
          return r.left >= 0 && r.right <= document.documentElement.clientWidth + 0.5;
        })"""
    )
    assert len(holding_prices) == 4  # unit cost, price, value and profit/loss
    assert all(holding_prices), holding_prices
    await page.screenshot(path=artifacts / "portfolio-phone.png", full_page=True)

    # On the phone: a CSV import, previewed with its row errors before anything is saved.
    await page.get_by_role("link", name="Import holdings (CSV or Brickset)").click()
    header = "fig_num,quantity,unit_cost,currency,acquired_on\n"
    await page.get_by_test_id("csv-text").fill(
        header + f"{LUKE},1,3.00,USD,2024-01-02\nnot a figure,1,3,USD,2024-01-02\n"
    )
    await page.get_by_role("button", name="Preview").click()
    await expect(page.get_by_text("1 valid, 1 with problems")).to_be_visible()
    await expect(page.get_by_test_id("import-preview").locator("tr.invalid")).to_contain_text(
        "figNum"
    )
    await expect(page.get_by_role("button", name="Import 1 row(s)")).to_be_disabled()
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    await page.screenshot(path=artifacts / "import-preview-phone.png", full_page=True)
    await page.get_by_test_id("csv-text").fill(header + f"{LUKE},1,3.00,USD,2024-01-02\n")
    await page.get_by_role("button", name="Preview").click()
    await expect(page.get_by_text("1 valid, 0 with problems")).to_be_visible()
    await page.get_by_role("button", name="Import 1 row(s)").click()
    await expect(page.get_by_test_id("holdings").locator("tbody tr")).to_have_count(2)

    # The account page: a new API key is shown once.
    await page.get_by_role("navigation").get_by_role("link", name="Account").click()
    await page.get_by_label("Name").fill("spreadsheet")
    await page.get_by_role("button", name="Create key").click()
    await expect(page.get_by_test_id("api-key-secret")).to_contain_text("stk_")
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390

    # The watchlist too: its last sale price stays on screen on a phone.
    await page.get_by_role("navigation").get_by_role("link", name="Watchlist").click()
    await expect(page.get_by_test_id("watchlist")).to_contain_text(f"${price:,.2f}")
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    watched_prices = await page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=watchlist] .money')].map((el) => {
          const r = el.getBoundingClientRect();
          return r.left >= 0 && r.right <= document.documentElement.clientWidth + 0.5;
        })"""
    )
    assert watched_prices == [True]
    # No marketplace image loads here (no network): the placeholder, not a broken image.
    await expect(page.get_by_test_id("watchlist").locator("img")).to_have_count(0)
    await expect(page.get_by_test_id("watchlist").locator(".thumb.noimg")).to_have_count(1)
    await page.screenshot(path=artifacts / "watchlist-phone.png", full_page=True)
