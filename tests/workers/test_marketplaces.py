"""eBay, BrickOwl and Rebrickable against recorded responses in their formats."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from arq import Retry
from pydantic import SecretStr
from redis.asyncio import Redis
from sqlalchemy import select

from server.models import Minifigure, PriceListing, SyncRun
from server.store.catalog import upsert_minifigures
from server.store.identity import save_crosswalk
from tests.factories import catalog_entry
from tests.workers.conftest import RECORDINGS, RecordedSleeps, polite, recording
from workers.context import Services, services_of
from workers.jobs.sync import sync_catalog, sync_prices
from workers.sources.brickowl import parse_availability
from workers.sources.ebay import EbayAuth
from workers.sources.errors import MalformedResponseError, QuotaExhaustedError
from workers.sources.etiquette import DailyQuota
from workers.sources.fx import FxFormatError, parse_ecb_xml
from workers.sources.http import SourceClient
from workers.sources.rebrickable import (
    CatalogFormatError,
    parse_minifigs_page,
    read_crosswalk,
    read_csv_catalog,
)

_json = {"content-type": "application/json"}
# The BOID brickowl_id_lookup.json answers for sw0001a.
BOID = "547141-95"


async def _with_figure(ctx: dict[str, Any], sleeps: RecordedSleeps, *sources: str) -> None:
    ctx["etiquette"] = {source: polite(source, sleeps, services_of(ctx)) for source in sources}
    async with services_of(ctx).session_factory() as session, session.begin():
        await upsert_minifigures(session, [catalog_entry("sw0001a")])


async def _listings(ctx: dict[str, Any], source: str) -> list[PriceListing]:
    async with services_of(ctx).session_factory() as session:
        query = select(PriceListing).where(PriceListing.source == source)
        return list((await session.scalars(query.order_by(PriceListing.external_id))).all())


async def test_ebay_search_is_classified_and_the_token_reused(
    make_ctx: Callable[..., Any],
) -> None:
    token_requests: list[httpx.Request] = []
    searches: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/identity/v1/oauth2/token":
            token_requests.append(request)
            return httpx.Response(200, content=recording("ebay_token.json"), headers=_json)
        searches.append(request)
        return httpx.Response(200, content=recording("ebay_search_sw0001a.json"), headers=_json)

    ctx = await make_ctx(
        handler, ebay_client_id=SecretStr("app-id"), ebay_client_secret=SecretStr("cert-id")
    )
    await _with_figure(ctx, RecordedSleeps(), "ebay")

    first = await sync_prices(ctx, "ebay", "sw0001a")
    await sync_prices(ctx, "ebay", "sw0001a")

    assert len(token_requests) == 1
    assert token_requests[0].headers["authorization"].startswith("Basic ")
    assert b"grant_type=client_credentials" in token_requests[0].content
    assert len(searches) == 2
    assert searches[0].url.params["category_ids"] == "19001"
    assert searches[0].headers["authorization"].startswith("Bearer v^1.1#")
    # 8 items: one "For parts or not working" has no condition we price.
    assert first == {"saved": 7, "rejected": 1, "seen": 8}
    reasons = {
        listing.external_id: listing.excluded_reason for listing in await _listings(ctx, "ebay")
    }
    confidences = {
        listing.external_id: listing.confidence for listing in await _listings(ctx, "ebay")
    }
    assert confidences == {
        "v1|126123456789|0": 1.0,
        "v1|226987654321|0": 1.0,
        "v1|335551112223|0": 0.4,
        "v1|404040404040|0": 0.0,
        "v1|505050505050|0": 0.8,
        "v1|606060606060|0": 0.8,
        "v1|707070707070|0": 0.8,
    }
    assert reasons == {
        "v1|126123456789|0": None,
        "v1|226987654321|0": None,
        "v1|335551112223|0": "lot",
        "v1|404040404040|0": "custom",
        "v1|505050505050|0": "keychain",
        "v1|606060606060|0": "parts_only",
        "v1|707070707070|0": None,
    }
    euro = next(x for x in await _listings(ctx, "ebay") if x.original_currency == "EUR")
    assert euro.original_price == Decimal("9.0000")
    assert euro.price_usd == (Decimal("9.00") * euro.fx_rate).quantize(Decimal("0.01"))
    assert euro.shipping_usd == (Decimal("3.00") * euro.fx_rate).quantize(Decimal("0.01"))


async def test_ebay_results_are_read_page_by_page_up_to_the_bound_and_matched(
    make_ctx: Callable[..., Any],
) -> None:
    searches: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/identity/v1/oauth2/token":
            return httpx.Response(200, content=recording("ebay_token.json"), headers=_json)
        searches.append(request.url)
        assert request.headers["authorization"].startswith("Bearer ")
        page = int(request.url.params.get("offset", "0")) // 3 + 1
        content = recording(f"ebay_search_sw0001a_page{page}.json")
        return httpx.Response(200, content=content, headers=_json)

    ctx = await make_ctx(
        handler,
        ebay_client_id=SecretStr("app-id"),
        ebay_client_secret=SecretStr("cert-id"),
        ebay_max_pages=2,
    )
    await _with_figure(ctx, RecordedSleeps(), "ebay")

    result = await sync_prices(ctx, "ebay", "sw0001a")

    # Two pages of three: the third page is past the bound.
    assert [url.params.get("offset", "0") for url in searches] == ["0", "3"]
    assert result == {"saved": 6, "rejected": 0, "seen": 6}
    stored = {
        str((x.raw or {})["title"]): (x.confidence, x.excluded_reason)
        for x in await _listings(ctx, "ebay")
    }
    assert stored == {
        "LEGO Star Wars Luke Skywalker Tatooine sw0001a Minifigure": (1.0, None),
        "LEGO Star Wars Han Solo sw0002 minifigure": (0.0, "low_confidence"),
        "LEGO Luke Skywalker minifigure Star Wars": (0.3, "low_confidence"),
        "Luke Skywalker Tatooine sw0001a 1999 LEGO": (1.0, None),
        "LEGO sw0001a": (0.5, None),
        "LEGO minifigure parts lot sw0001a sw0002": (0.0, "lot"),
    }


async def test_ebay_token_is_renewed_after_expiry(services: Services) -> None:
    now = {"t": 0.0}
    served: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        served.append(1)
        return httpx.Response(200, content=recording("ebay_token.json"), headers=_json)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        auth = EbayAuth(
            SourceClient("ebay", http, polite("ebay", RecordedSleeps(), services)),
            SecretStr("id"),
            SecretStr("secret"),
            clock=lambda: now["t"],
        )
        await auth.token()
        now["t"] = 7200 - 61
        await auth.token()
        now["t"] = 7200 - 59
        await auth.token()
    assert len(served) == 2


async def test_brickowl_availability_skips_closed_stores_and_the_boid_is_stored(
    make_ctx: Callable[..., Any],
) -> None:
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.params["key"] == "owl-key"
        paths.append(request.url.path)
        name = {
            "/v1/catalog/id_lookup": "brickowl_id_lookup.json",
            "/v1/catalog/availability": "brickowl_availability.json",
        }[request.url.path]
        return httpx.Response(200, content=recording(name), headers=_json)

    ctx = await make_ctx(handler, brickowl_api_key=SecretStr("owl-key"))
    await _with_figure(ctx, RecordedSleeps(), "brickowl")

    result = await sync_prices(ctx, "brickowl", "sw0001a")

    listings = await _listings(ctx, "brickowl")
    assert result["saved"] == 2
    assert [(x.external_id, x.condition, x.quantity) for x in listings] == [
        ("41236871", "USED", 2),
        ("51999002", "NEW", 1),
    ]
    assert listings[1].original_currency == "EUR"
    async with services_of(ctx).session_factory() as session:
        boid = await session.scalar(select(Minifigure.brickowl_id))
    assert boid == BOID
    # The next sync goes straight to availability: the BOID is looked up once.
    await sync_prices(ctx, "brickowl", "sw0001a")
    assert paths == [
        "/v1/catalog/id_lookup",
        "/v1/catalog/availability",
        "/v1/catalog/availability",
    ]


def test_brickowl_rejects_a_list_of_lots() -> None:
    with pytest.raises(MalformedResponseError):
        parse_availability([{"lot_id": "1"}], fig_num="sw0001a", fetched_at=datetime.now(UTC))


def test_rebrickable_csv_joins_year_theme_and_reads_the_crosswalk() -> None:
    directory = RECORDINGS / "rebrickable"
    entries, skipped = read_csv_catalog(directory)

    by_id = {entry.rebrickable_id: entry for entry in entries}
    assert skipped == 0
    luke = by_id["fig-003509"]
    # Keyed by Rebrickable's id here: the identity resolver applies the crosswalk.
    assert (luke.fig_num, luke.year_released, luke.theme) == ("fig-003509", 1999, "Star Wars")
    spaceman = by_id["fig-000123"]
    assert (spaceman.name, spaceman.theme) == ("Classic Space Astronaut, Red", "Space")
    assert read_crosswalk(directory / "crosswalk.csv") == {
        "fig-003509": "sw0001a",
        "fig-000123": "sp001",
    }
    loose = by_id["fig-000001"]
    assert (loose.fig_num, loose.year_released, loose.theme) == ("fig-000001", None, None)


def test_rebrickable_csv_reports_a_missing_column(tmp_path: Path) -> None:
    for name in ("themes", "sets", "inventories", "inventory_minifigs"):
        (tmp_path / f"{name}.csv").write_bytes(
            (RECORDINGS / "rebrickable" / f"{name}.csv").read_bytes()
        )
    (tmp_path / "minifigs.csv").write_text("fig_num,title\nfig-1,x\n")
    with pytest.raises(CatalogFormatError, match=r"minifigs\.csv lacks"):
        read_csv_catalog(tmp_path)


async def test_rebrickable_api_adds_missing_figures_across_pages_under_the_crosswalk(
    make_ctx: Callable[..., Any],
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == "key rb-key"
        page = request.url.params.get("page", "1")
        return httpx.Response(
            200, content=recording(f"rebrickable_minifigs_page{page}.json"), headers=_json
        )

    ctx = await make_ctx(handler, rebrickable_api_key=SecretStr("rb-key"))
    await _with_figure(ctx, RecordedSleeps(), "rebrickable")
    async with services_of(ctx).session_factory() as session, session.begin():
        # As `stonks import-catalog --crosswalk` left it.
        await save_crosswalk(session, read_crosswalk(RECORDINGS / "rebrickable" / "crosswalk.csv"))

    added = await sync_catalog(ctx)
    again = await sync_catalog(ctx)

    async with services_of(ctx).session_factory() as session:
        fig_nums = set(await session.scalars(select(Minifigure.fig_num)))
        runs = (
            await session.execute(
                select(SyncRun.status, SyncRun.seen, SyncRun.saved)
                .where(SyncRun.kind == "catalog")
                .order_by(SyncRun.id)
            )
        ).all()
        luke = await session.scalar(select(Minifigure).where(Minifigure.fig_num == "sw0001a"))
    assert added == 2
    assert again == 0
    # Luke once, under his BrickLink number, with Rebrickable's id and picture filled in.
    assert fig_nums == {"sw0001a", "fig-000001", "sp001"}
    assert luke is not None
    assert luke.rebrickable_id == "fig-003509"
    assert luke.image_url == "https://cdn.rebrickable.com/media/sets/fig-003509.jpg"
    assert runs == [("succeeded", 3, 2), ("succeeded", 3, 0)]


async def test_rebrickable_malformed_page_fails_the_catalog_run(
    make_ctx: Callable[..., Any],
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"count": 1, "next": None, "results": [{"name": "x"}]})

    ctx = await make_ctx(handler, rebrickable_api_key=SecretStr("rb-key"))
    await _with_figure(ctx, RecordedSleeps(), "rebrickable")

    with pytest.raises(MalformedResponseError, match="set_num"):
        await sync_catalog(ctx)

    async with services_of(ctx).session_factory() as session:
        run = await session.scalar(select(SyncRun).where(SyncRun.kind == "catalog"))
    assert run is not None
    assert run.status == "failed"
    assert run.error is not None
    assert "set_num" in run.error


def test_rebrickable_page_without_results_is_malformed() -> None:
    with pytest.raises(MalformedResponseError, match="results"):
        parse_minifigs_page(json.loads('{"count": 0}'))


def test_ecb_rates_convert_to_usd_per_unit() -> None:
    rates = {
        (r.currency, r.day): r.usd_per_unit
        for r in parse_ecb_xml(recording("ecb_eurofxref_hist.xml"))
    }

    day = date(2026, 10, 2)
    assert rates[("EUR", day)] == Decimal("1.17000000")
    assert rates[("GBP", day)] == (Decimal("1.17") / Decimal("0.87")).quantize(Decimal("1E-8"))
    assert rates[("JPY", day)] == (Decimal("1.17") / Decimal("172.50")).quantize(Decimal("1E-8"))
    assert ("USD", day) not in rates
    assert len(rates) == 10


def test_ecb_importer_refuses_other_xml() -> None:
    with pytest.raises(FxFormatError):
        parse_ecb_xml(b"<rates><rate currency='EUR'/></rates>")
    with pytest.raises(FxFormatError):
        parse_ecb_xml(b"not xml")


async def test_daily_quota_is_shared_through_redis(redis_url: str, namespace: str) -> None:
    redis = Redis.from_url(redis_url)
    moment = datetime(2026, 11, 22, 18, 0, tzinfo=UTC)
    try:
        first = DailyQuota(redis, namespace, "bricklink", limit=2)
        second = DailyQuota(redis, namespace, "bricklink", limit=2)  # another worker
        await first.spend(moment)
        await second.spend(moment)
        with pytest.raises(QuotaExhaustedError) as exhausted:
            await first.spend(moment)
        await first.spend(datetime(2026, 11, 23, 0, 1, tzinfo=UTC))  # a new day
    finally:
        keys = [key async for key in redis.scan_iter(f"{namespace}*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()
    assert exhausted.value.retry_after == 6 * 3600


def _ebay_ok(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/identity/v1/oauth2/token":
        return httpx.Response(200, content=recording("ebay_token.json"), headers=_json)
    return httpx.Response(200, content=recording("ebay_search_sw0001a.json"), headers=_json)


def _brickowl_ok(request: httpx.Request) -> httpx.Response:
    name = {
        "/v1/catalog/id_lookup": "brickowl_id_lookup.json",
        "/v1/catalog/availability": "brickowl_availability.json",
    }[request.url.path]
    return httpx.Response(200, content=recording(name), headers=_json)


def _rebrickable_ok(request: httpx.Request) -> httpx.Response:
    page = request.url.params.get("page", "1")
    return httpx.Response(
        200, content=recording(f"rebrickable_minifigs_page{page}.json"), headers=_json
    )


Handler = Callable[[httpx.Request], httpx.Response]
MARKETPLACES: dict[str, tuple[dict[str, SecretStr], Handler]] = {
    "ebay": (
        {"ebay_client_id": SecretStr("app-id"), "ebay_client_secret": SecretStr("cert-id")},
        _ebay_ok,
    ),
    "brickowl": ({"brickowl_api_key": SecretStr("owl-key")}, _brickowl_ok),
    "rebrickable": ({"rebrickable_api_key": SecretStr("rb-key")}, _rebrickable_ok),
}


async def _run(ctx: dict[str, Any], source: str) -> int:
    """Runs the source's job; returns how many records it stored."""
    if source == "rebrickable":
        return await sync_catalog(ctx)
    return int((await sync_prices(ctx, source, "sw0001a"))["saved"])


async def _stored_and_last_run(ctx: dict[str, Any], source: str) -> tuple[int, SyncRun]:
    async with services_of(ctx).session_factory() as session:
        listings = len((await session.scalars(select(PriceListing.id))).all())
        run = await session.scalar(
            select(SyncRun).where(SyncRun.source == source).order_by(SyncRun.id.desc()).limit(1)
        )
    assert run is not None
    return listings, run


@pytest.mark.parametrize("source", sorted(MARKETPLACES))
async def test_429_with_retry_after_is_waited_out(
    make_ctx: Callable[..., Any], source: str
) -> None:
    credentials, ok = MARKETPLACES[source]
    calls = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] == 1:
            return httpx.Response(429, headers={"Retry-After": "4"})
        return ok(request)

    ctx = await make_ctx(handler, **credentials)
    sleeps = RecordedSleeps()
    await _with_figure(ctx, sleeps, source)

    result = await _run(ctx, source)

    assert result > 0
    assert len(sleeps) == 1
    assert sleeps[0] >= 4
    assert (await _stored_and_last_run(ctx, source))[1].status == "succeeded"


@pytest.mark.parametrize("source", sorted(MARKETPLACES))
async def test_a_streak_of_5xx_defers_the_job_and_stores_nothing(
    make_ctx: Callable[..., Any], source: str
) -> None:
    credentials, _ = MARKETPLACES[source]
    ctx = await make_ctx(lambda request: httpx.Response(502), **credentials)
    await _with_figure(ctx, RecordedSleeps(), source)

    with pytest.raises(Retry):
        await _run(ctx, source)

    listings, run = await _stored_and_last_run(ctx, source)
    assert listings == 0
    assert run.status == "failed"
    assert run.error is not None
    assert "HTTP 502" in run.error


@pytest.mark.parametrize("source", sorted(MARKETPLACES))
async def test_a_payload_that_is_not_json_fails_the_run_clearly(
    make_ctx: Callable[..., Any], source: str
) -> None:
    credentials, ok = MARKETPLACES[source]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/identity/v1/oauth2/token":
            return ok(request)
        return httpx.Response(200, text="<html>maintenance</html>")

    ctx = await make_ctx(handler, **credentials)
    await _with_figure(ctx, RecordedSleeps(), source)

    with pytest.raises(MalformedResponseError, match="not JSON"):
        await _run(ctx, source)

    listings, run = await _stored_and_last_run(ctx, source)
    assert listings == 0
    assert run.status == "failed"
    assert run.error is not None
    assert "not JSON" in run.error
