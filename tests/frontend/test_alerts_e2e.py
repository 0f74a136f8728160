"""An alert end to end in chromium: created on a figure's page with a webhook, the worker
stores a crossing sale, the firing is stored and pushed live to the open Alerts page (and
its in-app notice), and a local receiver gets a correctly signed POST from the worker."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.async_api import BrowserContext, expect
from sqlalchemy import func, select

from server.models import AlertEvent
from tests.alerts.receiver import Receiver, receiver
from tests.frontend.conftest import base_url
from tests.frontend.test_e2e import (
    LUKE,
    LUKE_NAME,
    open_page,
    store_like_a_worker,
    subscribed,
    todays_level,
    used_sale,
)
from tests.live.servers import ApiProcess, api_process
from workers.context import Services
from workers.settings import create_worker


@pytest.fixture(scope="module")
def api(
    built_frontend: Path, services: Services, database_url: str, redis_url: str, namespace: str
) -> Iterator[ApiProcess]:
    # The receiver listens on this host: webhooks to private addresses are allowed here.
    with api_process(
        database_url, redis_url, namespace, alert_webhook_allow_private="true"
    ) as process:
        yield process


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as state:
        yield state


async def test_an_alert_fires_live_in_the_page_and_posts_a_signed_webhook(
    context: BrowserContext, api: ApiProcess, services: Services, hook: Receiver, artifacts: Path
) -> None:
    page = await open_page(context, f"{base_url(api)}/sign-in?new=1")
    await page.get_by_label("Email").fill(f"e2e-alerts-{uuid.uuid4().hex[:8]}@example.com")
    await page.get_by_label("Password").fill("a long enough password")
    await page.get_by_role("button", name="Create account").click()
    await expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()

    now = datetime.now(UTC)
    level = todays_level(LUKE, now)
    threshold = level + Decimal("0.50")
    await page.goto(f"{base_url(api)}/m/{LUKE}")
    await expect(page.get_by_role("heading", name=LUKE_NAME)).to_be_visible()
    await page.get_by_role("button", name="Alert me").click()
    form = page.get_by_role("form", name="Create an alert")
    await form.get_by_label("When").select_option("BELOW")
    await form.get_by_label("Price", exact=True).fill(str(threshold))
    await form.get_by_label("Currency").select_option("USD")
    await form.get_by_label("Webhook URL (optional)").fill(hook.url)
    await form.get_by_role("button", name="Create alert").click()
    await expect(form.get_by_text("Alert created.")).to_be_visible()
    secret = (await page.get_by_test_id("webhook-secret").locator("code").inner_text()).strip()
    assert secret.startswith("whsec_")

    await page.get_by_role("navigation").get_by_role("link", name="Alerts").click()
    await expect(page.get_by_test_id("alert-rules")).to_contain_text(LUKE_NAME)
    await expect(page.get_by_text("Nothing has fired yet.")).to_be_visible()
    await page.evaluate("window.__sameDocument = true")
    # The page's subscription and the app's notice.
    await subscribed(api, 2)

    price = level - Decimal("0.05")
    summary = await store_like_a_worker(services, [used_sale(LUKE, price, now)])
    assert summary.saved == 1
    async with services.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(AlertEvent)) == 1

    events = page.get_by_test_id("alert-events")
    await expect(events).to_contain_text(LUKE_NAME)
    await expect(events).to_contain_text(f"${price:,.2f}")
    await expect(page.get_by_test_id("alert-toasts")).to_contain_text(LUKE_NAME)
    assert await page.evaluate("window.__sameDocument === true"), "the page reloaded"

    worker = create_worker(
        services.settings.model_copy(update={"alert_webhook_allow_private": True}),
        burst=True,
        handle_signals=False,
    )
    try:
        await worker.async_run()
    finally:
        await worker.close()
    (post,) = hook.received
    assert post.signed_with(secret)
    body = json.loads(post.body)
    assert (body["minifigure"]["figNum"], body["priceUsd"]) == (LUKE, f"{price:.2f}")

    await page.reload()
    await page.get_by_text("Webhook:").click()
    await expect(page.get_by_test_id("webhook-deliveries")).to_contain_text("200")
    await expect(events).to_contain_text("delivered")
    await page.screenshot(path=artifacts / "alerts.png", full_page=True)
    await page.set_viewport_size({"width": 390, "height": 844})
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390, "sideways scroll"
    await page.screenshot(path=artifacts / "alerts-phone.png", full_page=True)
