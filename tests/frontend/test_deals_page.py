"""The Deals page on a phone (390 px) in chromium: filters in the URL, and a deal the
worker's own ingest pipeline stores appearing live."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from playwright.async_api import BrowserContext, ViewportSize, expect

from tests.frontend.conftest import base_url
from tests.frontend.test_e2e import (
    LUKE,
    LUKE_NAME,
    store_like_a_worker,
    subscribed,
    todays_level,
    used_sale,
)
from tests.live.servers import ApiProcess
from workers.context import Services

PHONE: ViewportSize = {"width": 390, "height": 844}
TOUCH = 44


async def test_a_new_deal_appears_live_on_a_phone(
    context: BrowserContext, api: ApiProcess, services: Services, artifacts: Path
) -> None:
    page = await context.new_page()
    page.set_default_timeout(15_000)
    await page.set_viewport_size(PHONE)
    await page.goto(f"{base_url(api)}/deals?min=40&condition=USED")
    await expect(page.get_by_role("heading", name="Deals", exact=True)).to_be_visible()
    await expect(page.get_by_label("At least")).to_have_value("40")
    await expect(page.get_by_label("Condition")).to_have_value("USED")
    await page.evaluate("window.__sameDocument = true")
    await subscribed(api, 1)

    now = datetime.now(UTC)
    half = (todays_level(LUKE, now) / 2).quantize(Decimal("0.01"))
    summary = await store_like_a_worker(services, [used_sale(LUKE, half, now, kind="ASK")])
    assert summary.saved == 1

    fresh = page.get_by_test_id("fresh-deals")
    await expect(fresh).to_contain_text(LUKE_NAME)
    await expect(fresh).to_contain_text(f"${half:,.2f}")
    await expect(fresh).to_contain_text("vs sold median")
    assert await page.evaluate("window.__sameDocument === true"), "the page reloaded"
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for control in await page.locator("main a, main button, main select").all():
        if await control.is_visible():
            box = await control.bounding_box()
            assert box is not None
            assert box["height"] >= TOUCH, await control.evaluate("e => e.outerHTML")
    await page.screenshot(path=artifacts / "deals-phone.png", full_page=True)

    # Another filter: the URL keeps it, the list starts over (a USED deal is not NEW).
    await page.get_by_label("Condition").select_option("NEW")
    await expect(page).to_have_url(f"{base_url(api)}/deals?min=40&condition=NEW")
    await expect(page.get_by_test_id("fresh-deals")).to_have_count(0)
    await expect(page.get_by_role("heading", name="Deals", exact=True)).to_be_visible()
