"""BrickLink price guide against recorded responses in BrickLink's format."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from arq import Retry
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import PriceListing, SyncRun
from server.store.catalog import upsert_minifigures
from tests.factories import catalog_entry
from tests.workers.conftest import RecordedSleeps, polite, recording
from workers.context import services_of
from workers.jobs.sync import sync_prices
from workers.sources.bricklink import PriceGuideRequest, parse_price_guide
from workers.sources.errors import MalformedResponseError
from workers.sources.oauth1 import signature

CREDENTIALS = {
    "bricklink_consumer_key": SecretStr("consumer-key-1234"),
    "bricklink_consumer_secret": SecretStr("consumer-secret-5678"),
    "bricklink_token_value": SecretStr("token-value-9012"),
    "bricklink_token_secret": SecretStr("token-secret-3456"),
}
SECRETS = [value.get_secret_value() for value in CREDENTIALS.values()]


def test_signature_matches_the_published_oauth1_example() -> None:
    # The worked example of Twitter's "Creating a signature" guide (HMAC-SHA1, RFC 5849).
    params = {
        "status": "Hello Ladies + Gentlemen, a signed OAuth request!",
        "include_entities": "true",
        "oauth_consumer_key": "xvz1evFS4wEEPTGEFPHBog",
        "oauth_nonce": "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
        "oauth_signature_method": "HMAC-SHA1",
        "oauth_timestamp": "1318622958",
        "oauth_token": "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
        "oauth_version": "1.0",
    }
    assert (
        signature(
            "POST",
            "https://api.twitter.com/1.1/statuses/update.json",
            params,
            "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
            "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
        )
        == "hCtSmYh+iHYCEqBWrE7C7hYmtUk="
    )


def test_parse_keeps_every_price_detail_row() -> None:
    fetched = datetime(2026, 10, 12, 15, 30, tzinfo=UTC)
    sold = parse_price_guide(
        json.loads(recording("bricklink_sold_U.json")),
        PriceGuideRequest("sw0001a", "sold", "U"),
        fetched_at=fetched,
    )
    stock = parse_price_guide(
        json.loads(recording("bricklink_stock_U.json")),
        PriceGuideRequest("sw0001a", "stock", "U"),
        fetched_at=fetched,
    )

    assert len(sold) == 8
    assert len({o.external_id for o in sold}) == 8  # two identical rows stay two sales
    assert sold[1].quantity == 2
    assert sold[1].price == Decimal("8.7500")
    assert sold[1].observed_at == datetime(2026, 10, 5, 9, 2, 51, 120000, tzinfo=UTC)
    assert {o.kind for o in sold} == {"SOLD"}
    assert [o.quantity for o in stock] == [3, 1, 1]
    assert {o.kind for o in stock} == {"ASK"}
    assert {o.observed_at for o in stock} == {datetime(2026, 10, 12, tzinfo=UTC)}


def test_parse_rejects_a_malformed_price() -> None:
    with pytest.raises(MalformedResponseError, match="unit_price"):
        parse_price_guide(
            json.loads(recording("bricklink_malformed.json")),
            PriceGuideRequest("sw0001a", "sold", "U"),
            fetched_at=datetime(2026, 10, 12, tzinfo=UTC),
        )


def _marketplace(
    overrides: dict[tuple[str, str], httpx.Response] | None = None,
) -> tuple[Callable[[httpx.Request], httpx.Response], list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        assert request.url.path == "/api/store/v1/items/MINIFIG/sw0001a/price"
        key = (request.url.params["guide_type"], request.url.params["new_or_used"])
        if overrides and key in overrides:
            return overrides[key]
        return httpx.Response(
            200, content=recording(f"bricklink_{key[0]}_{key[1]}.json"), headers=_json
        )

    return handler, seen


_json = {"content-type": "application/json"}


async def _bricklink_ctx(
    make_ctx: Callable[..., Any], handler: Callable[[httpx.Request], httpx.Response]
) -> tuple[dict[str, Any], RecordedSleeps]:
    ctx: dict[str, Any] = await make_ctx(handler, **CREDENTIALS)
    sleeps = RecordedSleeps()
    ctx["etiquette"] = {"bricklink": polite("bricklink", sleeps, services_of(ctx))}
    services = services_of(ctx)
    async with services.session_factory() as session, session.begin():
        await upsert_minifigures(session, [catalog_entry("sw0001a")])
    return ctx, sleeps


async def _listing_count(ctx: dict[str, Any]) -> int:
    async with services_of(ctx).session_factory() as session:
        return int(await session.scalar(select(func.count()).select_from(PriceListing)) or 0)


async def _last_run(ctx: dict[str, Any]) -> SyncRun:
    async with services_of(ctx).session_factory() as session:
        run = await session.scalar(select(SyncRun).order_by(SyncRun.id.desc()).limit(1))
    assert run is not None
    return run


async def test_sync_stores_sold_and_stock_rows_signed_and_classified(
    make_ctx: Callable[..., Any],
) -> None:
    handler, seen = _marketplace()
    ctx, _ = await _bricklink_ctx(make_ctx, handler)

    result = await sync_prices(ctx, "bricklink", "sw0001a")

    assert result == {"saved": 13, "rejected": 0, "seen": 13}
    assert len(seen) == 4
    for request in seen:
        header = request.headers["authorization"]
        assert header.startswith("OAuth ")
        assert 'oauth_signature_method="HMAC-SHA1"' in header
        assert 'oauth_consumer_key="consumer-key-1234"' in header
        assert "consumer-secret-5678" not in header
    async with services_of(ctx).session_factory() as session:
        excluded = (
            await session.execute(
                select(PriceListing.original_price, PriceListing.excluded_reason).where(
                    PriceListing.excluded_reason.is_not(None)
                )
            )
        ).all()
    assert excluded == [(Decimal("48.0000"), "outlier")]
    run = await _last_run(ctx)
    assert (run.status, run.seen, run.saved) == ("succeeded", 13, 13)


async def test_429_honours_retry_after_then_succeeds(make_ctx: Callable[..., Any]) -> None:
    attempts = {"n": 0}
    ok, _ = _marketplace()

    def handler(request: httpx.Request) -> httpx.Response:
        attempts["n"] += 1
        if attempts["n"] == 1:
            return httpx.Response(429, headers={"Retry-After": "7"})
        return ok(request)

    ctx, sleeps = await _bricklink_ctx(make_ctx, handler)

    result = await sync_prices(ctx, "bricklink", "sw0001a")

    assert result["saved"] == 13
    assert len(sleeps) == 1
    assert sleeps[0] >= 7


async def test_long_retry_after_defers_the_job_and_stores_nothing(
    make_ctx: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    limited = httpx.Response(429, headers={"Retry-After": "120"})
    handler, _ = _marketplace({("sold", "N"): limited})
    ctx, sleeps = await _bricklink_ctx(make_ctx, handler)
    caplog.set_level(logging.DEBUG)

    with pytest.raises(Retry) as deferred:
        await sync_prices(ctx, "bricklink", "sw0001a")

    assert deferred.value.defer_score is not None
    assert deferred.value.defer_score >= 120_000
    assert sleeps == []
    assert await _listing_count(ctx) == 0
    run = await _last_run(ctx)
    assert run.status == "failed"
    assert run.error is not None
    assert "HTTP 429" in run.error
    for secret in SECRETS:
        assert secret not in caplog.text
        assert secret not in run.error


async def test_a_streak_of_5xx_fails_the_run_then_opens_the_circuit(
    make_ctx: Callable[..., Any],
) -> None:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(503, text="Service Unavailable")

    ctx, sleeps = await _bricklink_ctx(make_ctx, handler)

    with pytest.raises(Retry):
        await sync_prices(ctx, "bricklink", "sw0001a")
    assert len(requests) == 4  # max_attempts, with capped, jittered backoff in between
    assert len(sleeps) == 3
    assert all(0 <= s <= 30 for s in sleeps)
    with pytest.raises(Retry):
        await sync_prices(ctx, "bricklink", "sw0001a")
    # The fifth consecutive failure opened the circuit: the rest of that run and the
    # next one never reach BrickLink.
    assert len(requests) == 5
    with pytest.raises(Retry):
        await sync_prices(ctx, "bricklink", "sw0001a")
    assert len(requests) == 5
    assert await _listing_count(ctx) == 0
    run = await _last_run(ctx)
    assert run.status == "failed"
    assert run.error is not None
    assert "circuit open" in run.error


async def test_a_malformed_payload_fails_the_run_and_stores_nothing(
    make_ctx: Callable[..., Any],
) -> None:
    broken = httpx.Response(200, content=recording("bricklink_malformed.json"), headers=_json)
    handler, _ = _marketplace({("stock", "U"): broken})
    ctx, _ = await _bricklink_ctx(make_ctx, handler)

    with pytest.raises(MalformedResponseError):
        await sync_prices(ctx, "bricklink", "sw0001a")

    assert await _listing_count(ctx) == 0
    run = await _last_run(ctx)
    assert run.status == "failed"
    assert run.error is not None
    assert "unit_price" in run.error


async def test_a_rejected_signature_fails_without_retrying(
    make_ctx: Callable[..., Any], db: AsyncSession
) -> None:
    rejected = httpx.Response(
        200, content=recording("bricklink_invalid_signature.json"), headers=_json
    )
    handler, seen = _marketplace({("sold", "N"): rejected})
    ctx, _ = await _bricklink_ctx(make_ctx, handler)

    with pytest.raises(Exception, match="BAD_OAUTH_REQUEST") as failure:
        await sync_prices(ctx, "bricklink", "sw0001a")

    assert not isinstance(failure.value, Retry)
    assert len(seen) == 1  # the first request (sold, new) was refused, and not retried
    assert (await _last_run(ctx)).status == "failed"
