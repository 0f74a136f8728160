"""Every page as a collector meets it in chromium: phones, both themes, accessibility, slow or
failing loads, the chart's readout, exports, comparing and browsing. The API, database and
demo history are real; only the network between browser and API is slowed or cut here.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import anyio
import httpx
import pytest
from playwright.async_api import BrowserContext, Page, Route, ViewportSize, expect

from tests.frontend.conftest import base_url
from tests.frontend.test_e2e import LUKE, LUKE_NAME, open_page
from tests.live.servers import ApiProcess
from workers.context import Services

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
PHONE: ViewportSize = {"width": 390, "height": 844}
TOUCH_PX = 44


@dataclass(frozen=True)
class Screen:
    path: str
    ready: Callable[[Page], Awaitable[None]]
    has_prices: bool = True


async def _home_ready(page: Page) -> None:
    await expect(page.get_by_test_id("active").locator("li").first).to_be_visible()
    await expect(page.locator("figure.chart canvas").first).to_be_visible()


async def _browse_ready(page: Page) -> None:
    await expect(page.get_by_test_id("results").locator("tbody tr")).to_have_count(24)


async def _detail_ready(page: Page) -> None:
    await expect(page.get_by_test_id("listings").locator("tbody tr").first).to_be_visible()
    await expect(page.locator("figure.chart canvas").first).to_be_visible()


async def _sync_ready(page: Page) -> None:
    await expect(page.get_by_role("heading", name="Latest runs")).to_be_visible()
    await expect(page.get_by_text("backfill").first).to_be_visible()


async def _compare_ready(page: Page) -> None:
    await expect(page.get_by_test_id("chart-readout")).to_contain_text("Obi-Wan Kenobi")
    await expect(page.locator("figure.chart canvas").first).to_be_visible()


SCREENS = [
    Screen("/", _home_ready),
    Screen("/browse", _browse_ready),
    Screen(f"/m/{LUKE}", _detail_ready),
    Screen("/sync", _sync_ready, has_prices=False),
    Screen(f"/compare?figs={LUKE},sw0002", _compare_ready),
]
SCREEN_IDS = [screen.path for screen in SCREENS]


async def show(context: BrowserContext, api: ApiProcess, screen: Screen) -> Page:
    page = await open_page(context, f"{base_url(api)}{screen.path}")
    await screen.ready(page)
    return page


@pytest.mark.parametrize("screen", SCREENS, ids=SCREEN_IDS)
async def test_on_a_phone_every_price_is_on_screen_and_every_control_is_touch_sized(
    context: BrowserContext,
    api: ApiProcess,
    services: Services,
    screen: Screen,
    artifacts: Path,
) -> None:
    page = await context.new_page()
    await page.set_viewport_size(PHONE)
    page.set_default_timeout(15_000)
    await page.goto(f"{base_url(api)}{screen.path}")
    await screen.ready(page)
    layout: dict[str, Any] = await page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const shown = (el) => {
            const r = el.getBoundingClientRect();
            return r.width > 0 && r.height > 0;
          };
          const prices = [...document.querySelectorAll('.money')].filter(shown);
          const offscreen = prices
            .map((el) => ({ text: el.textContent, rect: el.getBoundingClientRect() }))
            .filter(({ rect }) => rect.left < 0 || rect.right > width + 0.5)
            .map(({ text, rect }) => `${text} at ${rect.left}..${rect.right}`);
          const controls = [...document.querySelectorAll(
            'button, select, input, [role=group] button, header nav a, .tile a'
          )].filter(shown);
          const small = controls
            .map((el) => ({ el, rect: el.getBoundingClientRect() }))
            .filter(({ rect }) => rect.height < 44 - 0.5)
            .map(({ el, rect }) => `${el.tagName} "${el.textContent.trim()}" ${rect.height}px`);
          return {
            width, scrollWidth: document.documentElement.scrollWidth,
            prices: prices.length, offscreen, small,
          };
        }"""
    )
    name = screen.path.strip("/").split("?")[0].replace("/", "-") or "home"
    await page.screenshot(path=artifacts / f"phone-{name}.png", full_page=True)
    assert layout["width"] == PHONE["width"]
    assert layout["scrollWidth"] <= layout["width"], "the page scrolls sideways"
    if screen.has_prices:
        assert layout["prices"] > 0
    assert layout["offscreen"] == []
    assert layout["small"] == []


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("screen", SCREENS, ids=SCREEN_IDS)
async def test_axe_finds_no_violation(
    context: BrowserContext,
    api: ApiProcess,
    services: Services,
    screen: Screen,
    theme: Literal["light", "dark"],
) -> None:
    page = await context.new_page()
    page.set_default_timeout(15_000)
    await page.emulate_media(color_scheme=theme)
    await page.goto(f"{base_url(api)}{screen.path}")
    await screen.ready(page)
    await page.add_script_tag(path=AXE)
    violations: list[dict[str, Any]] = await page.evaluate(
        "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations"
    )
    found = [f"{v['id']}: {[node['target'] for node in v['nodes']][:3]}" for v in violations]
    assert found == []


CONTRAST = """(pairs) => {
  const channel = (c) => {
    c /= 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = (color) => {
    const [r, g, b] = color.match(/[\\d.]+/g).map(Number);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const resolve = (name) => {
    const probe = document.createElement('span');
    probe.style.color = `var(${name})`;
    document.body.append(probe);
    const color = getComputedStyle(probe).color;
    probe.remove();
    return color;
  };
  const style = (element, property) => getComputedStyle(element)[property];
  const focused = document.activeElement;
  if (!focused.matches(':focus-visible')) throw new Error('no keyboard focus ring');
  const focus = style(focused, 'outlineColor');
  const input = style(focused, 'borderTopColor');
  const card = style(document.querySelector('.card'), 'borderTopColor');
  const page = resolve('--bg'), surface = resolve('--surface');
  return {
    'focus ring on the page': ratio(focus, page),
    'focus ring on a card': ratio(focus, surface),
    'input border on the page': ratio(input, page),
    'input border on a card': ratio(input, surface),
    'card border on the page': ratio(card, page),
  };
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
async def test_focus_rings_and_borders_stand_out_three_to_one(
    context: BrowserContext, api: ApiProcess, services: Services, theme: Literal["light", "dark"]
) -> None:
    page = await context.new_page()
    await page.emulate_media(color_scheme=theme)
    # A page with a text field and a card.
    await page.goto(f"{base_url(api)}/compare?figs={LUKE}")
    await expect(page.get_by_test_id("chart-readout")).to_contain_text(LUKE_NAME)
    field = page.get_by_label("Add a fig number")
    # Keyboard focus, as the ring shows for it (not for a click).
    await page.keyboard.press("Tab")
    while not await field.evaluate("el => el === document.activeElement"):
        await page.keyboard.press("Tab")
    ratios: dict[str, float] = await page.evaluate(CONTRAST)
    weak = {name: round(value, 2) for name, value in ratios.items() if value < 3}
    assert weak == {}


class Gate:
    """Holds every GraphQL request until opened: a slow network, made deterministic."""

    def __init__(self) -> None:
        self.opened = asyncio.Event()
        self.held = 0

    async def handle(self, route: Route) -> None:
        if route.request.method == "POST":
            self.held += 1
            await self.opened.wait()
        await route.continue_()


# Records, from the first byte of the page on, whether a text ever showed.
WATCH_TEXTS = """
window.__seen = new Set();
new MutationObserver(() => {
  const text = document.body ? document.body.innerText : '';
  const phrases = ['No minifigure has a price yet', 'No used sales', 'No prices in the last year'];
  for (const phrase of phrases) if (text.includes(phrase)) window.__seen.add(phrase);
}).observe(document, { childList: true, subtree: true, characterData: true });
"""


async def test_no_empty_state_shows_before_the_data_says_so(
    context: BrowserContext, api: ApiProcess, services: Services
) -> None:
    gate = Gate()
    page = await context.new_page()
    page.set_default_timeout(15_000)
    await page.add_init_script(WATCH_TEXTS)
    await page.route("**/graphql", gate.handle)
    await page.goto(f"{base_url(api)}/")
    await expect(page.get_by_text("Loading the market index…")).to_be_visible()
    gate.opened.set()
    await _home_ready(page)

    await page.goto(f"{base_url(api)}/m/{LUKE}")
    await _detail_ready(page)
    assert await page.evaluate("[...window.__seen]") == []


async def test_a_new_range_keeps_the_old_numbers_labelled_as_they_were_until_it_arrives(
    context: BrowserContext, api: ApiProcess, services: Services
) -> None:
    page = await open_page(context, f"{base_url(api)}/m/{LUKE}")
    await _detail_ready(page)
    change = page.locator(".stat", has_text="Change (")
    await expect(change).to_contain_text("Change (90 days)")
    gate = Gate()
    await page.route("**/graphql", gate.handle)
    await page.get_by_role("group", name="Range").get_by_role("button", name="7D").click()

    await expect(page.get_by_text("Updating…")).to_be_visible()
    await expect(page.get_by_role("button", name="7D")).to_have_attribute("aria-pressed", "true")
    await expect(change).to_contain_text("Change (90 days)")  # the numbers on screen are 90 days'
    await expect(page.locator("figure.chart canvas").first).to_be_visible()
    assert gate.held == 1

    gate.opened.set()
    await expect(change).to_contain_text("Change (7 days)")
    await expect(page.get_by_text("Updating…")).to_be_hidden()


async def test_a_failed_load_keeps_the_last_data_and_retries_on_its_own(
    context: BrowserContext, api: ApiProcess, services: Services
) -> None:
    page = await open_page(context, f"{base_url(api)}/browse")
    await _browse_ready(page)

    async def unreachable(route: Route) -> None:
        await route.abort("internetdisconnected")

    await page.route("**/graphql", unreachable)
    await page.get_by_label("Search").fill("vader")
    alert = page.get_by_role("alert")
    await expect(alert).to_contain_text("Could not refresh")
    await expect(alert).to_contain_text("Trying again in")
    await expect(page.get_by_test_id("results").locator("tbody tr")).to_have_count(24)

    await page.unroute("**/graphql", unreachable)
    # No click: the planned retry brings the search in.
    rows = page.get_by_test_id("results").locator("tbody tr")
    await expect(rows.first).to_contain_text("Darth Vader")
    await expect(rows).to_have_count(1)  # "vader" is not in "Cheerleader"
    await expect(alert).to_be_hidden()


async def test_the_chart_reads_out_open_high_low_close_and_volume_by_keyboard(
    context: BrowserContext, api: ApiProcess, services: Services
) -> None:
    page = await open_page(context, f"{base_url(api)}/m/{LUKE}?range=30D")
    await _detail_ready(page)
    readout = page.get_by_test_id("chart-readout")
    ohlc = re.compile(r"O \$[\d.]+ H \$[\d.]+ L \$[\d.]+ C \$[\d.]+ · volume \d+")
    await expect(readout).to_contain_text(ohlc)
    last = await readout.inner_text()

    await page.locator(".chart-canvas").focus()
    await page.keyboard.press("ArrowLeft")
    await expect(readout).not_to_have_text(last)
    await expect(readout).to_contain_text(ohlc)
    await page.keyboard.press("Home")
    first = await readout.inner_text()
    await page.keyboard.press("End")
    await expect(readout).to_have_text(last)
    assert first != last


CANVAS_CORNER = """() => {
  const canvas = document.querySelector('.chart-canvas canvas');
  const [r, g, b] = canvas.getContext('2d').getImageData(1, 1, 1, 1).data;
  const probe = document.createElement('span');
  probe.style.color = 'var(--surface)';
  document.body.append(probe);
  const surface = getComputedStyle(probe).color;
  probe.remove();
  return { pixel: `rgb(${r}, ${g}, ${b})`, surface };
}"""


async def test_the_theme_switch_recolours_the_chart_at_once(
    context: BrowserContext, api: ApiProcess, services: Services
) -> None:
    page = await open_page(context, f"{base_url(api)}/m/{LUKE}")
    await _detail_ready(page)
    before = await page.evaluate(CANVAS_CORNER)
    assert before["pixel"] == before["surface"]
    for _ in range(2):
        await page.get_by_role("button", name=re.compile("Switch to (dark|light) mode")).click()
        colours = await _chart_colours_after_paint(page)
        assert colours["surface"] != before["surface"]
        assert colours["pixel"] == colours["surface"]
        before = colours


async def _chart_colours_after_paint(page: Page) -> dict[str, str]:
    """The chart paints on an animation frame after the switch: wait for two frames."""
    await page.evaluate(
        "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
    )
    colours: dict[str, str] = await page.evaluate(CANVAS_CORNER)
    return colours


async def test_a_figures_history_and_a_browse_result_download_as_csv(
    context: BrowserContext, api: ApiProcess, services: Services
) -> None:
    page = await open_page(context, f"{base_url(api)}/m/{LUKE}?range=30D")
    await _detail_ready(page)
    points = int(await page.locator("figure.chart").get_attribute("data-points") or 0)
    async with page.expect_download() as download_info:
        await page.get_by_role("button", name="Download CSV").click()
    download = await download_info.value
    assert download.suggested_filename == f"{LUKE}-used-30d.csv"
    rows = list(csv.reader(io.StringIO(await anyio.Path(await download.path()).read_text())))
    assert rows[0][:5] == ["bucket_start", "open", "high", "low", "close"]
    assert len(rows) - 1 == points
    assert all(row[8] == "USD" for row in rows[1:])

    await page.goto(f"{base_url(api)}/browse?theme=Star+Wars")
    await expect(page.get_by_text(re.compile(r"\d+ minifigures · page 1 of \d+"))).to_be_visible()
    total = int((await page.get_by_text(re.compile(r"^\d+ minifigures")).inner_text()).split()[0])
    async with page.expect_download() as download_info:
        await page.get_by_role("button", name="Download CSV").click()
    download = await download_info.value
    text = await anyio.Path(await download.path()).read_text()
    result = list(csv.DictReader(io.StringIO(text)))
    assert len(result) == total  # the whole result, not only the page on screen
    assert {row["theme"] for row in result} == {"Star Wars"}
    assert LUKE_NAME in {row["name"] for row in result}


async def test_up_to_four_figures_compare_on_one_chart(
    context: BrowserContext, api: ApiProcess, services: Services
) -> None:
    page = await open_page(context, f"{base_url(api)}/m/{LUKE}")
    await _detail_ready(page)
    await page.get_by_role("link", name="Compare with other minifigures").click()
    await expect(page).to_have_url(f"{base_url(api)}/compare?figs={LUKE}")
    for fig in ["sw0002", "sw0004", "sw0011"]:
        await page.get_by_label("Add a fig number").fill(fig)
        await page.get_by_role("button", name="Add", exact=True).click()
    await expect(page).to_have_url(f"{base_url(api)}/compare?figs={LUKE},sw0002,sw0004,sw0011")
    readout = page.get_by_test_id("chart-readout")
    for name in [LUKE_NAME, "Obi-Wan Kenobi", "Darth Vader", "Han Solo"]:
        await expect(readout).to_contain_text(name)
    await expect(page.get_by_label("Add a fig number")).to_be_disabled()  # four at most
    await page.get_by_role("button", name="Remove sw0004").click()
    await expect(readout).not_to_contain_text("Darth Vader")


async def test_browse_filters_by_year_as_typed_counts_pages_and_sorts_by_header(
    context: BrowserContext, api: ApiProcess, services: Services
) -> None:
    page = await open_page(context, f"{base_url(api)}/browse")
    await _browse_ready(page)
    await expect(page.get_by_text("48 minifigures · page 1 of 2")).to_be_visible()
    await page.get_by_role("button", name="Next →").click()
    await expect(page.get_by_text("48 minifigures · page 2 of 2")).to_be_visible()

    median = page.get_by_role("columnheader", name=re.compile("Median"))
    await median.get_by_role("button").click()
    await expect(page).to_have_url(re.compile(r"sort=price-desc"))
    await expect(median).to_have_attribute("aria-sort", "descending")
    await expect(page.get_by_text("48 minifigures · page 1 of 2")).to_be_visible()
    await median.get_by_role("button").click()
    await expect(median).to_have_attribute("aria-sort", "ascending")
    await expect(page.locator(".browse .updating")).to_have_text("")  # the ascending page is in
    prices = await page.get_by_test_id("results").locator("td.price").all_inner_texts()
    values = [float(p.strip("$").replace(",", "")) for p in prices if p.startswith("$")]
    assert len(values) > 5
    assert values == sorted(values)

    # The year applies as it is typed: no Enter.
    await page.get_by_label("Year").press_sequentially("1999")
    await expect(page).to_have_url(re.compile(r"year=1999"))
    years = page.get_by_test_id("results").locator("td[data-label=Year]")
    await expect(years.first).to_have_text("1999")
    assert set(await years.all_inner_texts()) == {"1999"}


async def test_a_shared_figure_link_previews_the_figure(
    api: ApiProcess, services: Services
) -> None:
    async with httpx.AsyncClient(base_url=base_url(api)) as http:
        page = await http.get(f"/m/{LUKE}", headers={"accept-encoding": "gzip"})
        asset = re.search(r'src="(/assets/[^"]+\.js)"', page.text)
        assert asset is not None
        script = await http.get(asset.group(1), headers={"accept-encoding": "br, gzip"})
    assert page.headers["content-encoding"] == "gzip"
    assert f"<title>{LUKE_NAME} · Minifigure Stonks</title>" in page.text
    assert f'<meta property="og:title" content="{LUKE_NAME}" />' in page.text
    assert script.headers["content-encoding"] == "br"
    assert script.headers["cache-control"] == "public, max-age=31536000, immutable"


async def test_a_page_whose_code_failed_to_load_comes_when_the_network_returns(
    context: BrowserContext, api: ApiProcess, services: Services
) -> None:
    page = await open_page(context, f"{base_url(api)}/browse")
    await _browse_ready(page)
    sync_chunk = re.compile(r"/assets/Sync-[^/]+\.js$")

    async def unreachable(route: Route) -> None:
        await route.abort("internetdisconnected")

    await page.route(sync_chunk, unreachable)
    await page.get_by_role("link", name="Sync status").click()
    await expect(page.get_by_text("Loading the page…")).to_be_visible()
    await page.unroute(sync_chunk, unreachable)
    await _sync_ready(page)
