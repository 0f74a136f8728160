"""No credential reaches a stored error, a log line or an anonymous client, per source.

Each fake marketplace refuses the request with a body that echoes everything it was
sent (URL with query string, headers, form body), as real error pages sometimes do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from arq import Retry
from pydantic import SecretStr
from sqlalchemy import select

from server.models import DataSource, SyncRun
from server.redaction import failure_record, public_summary, scrub
from tests.workers.conftest import RecordedSleeps, polite
from tests.workers.test_marketplaces import _with_figure
from workers.context import services_of
from workers.jobs.sync import sync_catalog, sync_prices
from workers.sources.errors import SourceRejectedError

_json = {"content-type": "application/json"}
SECRETS = {
    "bricklink": {
        "bricklink_consumer_key": "bl-consumer-key-AAAA",
        "bricklink_consumer_secret": "bl-consumer-secret-BBBB",
        "bricklink_token_value": "bl-token-value-CCCC",
        "bricklink_token_secret": "bl-token-secret-DDDD",
    },
    "ebay": {"ebay_client_id": "ebay-app-id-EEEE", "ebay_client_secret": "ebay-cert-id-FFFF"},
    "brickowl": {"brickowl_api_key": "owl-key-GGGG"},
    "rebrickable": {"rebrickable_api_key": "rb-key-HHHH"},
}
# eBay's access token is no setting: it is issued at run time and must be scrubbed too.
EBAY_ACCESS_TOKEN = "v^1.1#i^1#ACCESS-TOKEN-IIII"


def _echo(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/oauth2/token"):
        token = {"access_token": EBAY_ACCESS_TOKEN, "expires_in": 7200}
        return httpx.Response(200, json=token, headers=_json)
    headers = "\n".join(f"{name}: {value}" for name, value in request.headers.items())
    body = f"Forbidden. You sent {request.url}\n{headers}\n{request.content.decode()}"
    return httpx.Response(403, text=body)


def _leaks(text: str, source: str) -> list[str]:
    secrets = [*SECRETS[source].values(), EBAY_ACCESS_TOKEN]
    return [secret for secret in secrets if secret in text]


@pytest.mark.parametrize("source", ["bricklink", "ebay", "brickowl", "rebrickable"])
async def test_a_refusal_echoing_credentials_stores_and_logs_none(
    make_ctx: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
    source: str,
) -> None:
    credentials = {name: SecretStr(value) for name, value in SECRETS[source].items()}
    ctx = await make_ctx(_echo, **credentials)
    await _with_figure(ctx, RecordedSleeps(), source)
    caplog.set_level(logging.INFO)

    job = sync_catalog(ctx) if source == "rebrickable" else sync_prices(ctx, source, "sw0001a")
    with pytest.raises(SourceRejectedError) as refused:
        await job

    async with ctx["services"].session_factory() as session:
        run = (await session.scalars(select(SyncRun).where(SyncRun.source == source))).one()
        row = await session.get(DataSource, source)
    assert row is not None
    assert run.error is not None
    assert row.last_error is not None
    # The operator keeps the refusal's body (scrubbed): it says what was refused.
    assert "Forbidden. You sent" in run.error
    assert run.error.startswith(f"SourceRejectedError: {source}: HTTP 403\n")
    assert _leaks(run.error, source) == []
    assert _leaks(row.last_error, source) == []
    assert _leaks(str(refused.value), source) == []
    assert _leaks(caplog.text, source) == []
    # Anonymous clients get the class and a short message, no body.
    assert public_summary(run.error) == f"SourceRejectedError: {source}: HTTP 403"


async def test_a_read_timeout_records_what_timed_out_and_after_how_long(
    make_ctx: Callable[..., Any],
) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("", request=request)

    ctx = await make_ctx(slow, brickowl_api_key=SecretStr("owl-key-GGGG"))
    await _with_figure(ctx, RecordedSleeps(), "brickowl")
    ctx["etiquette"]["brickowl"] = polite(
        "brickowl", RecordedSleeps(), services_of(ctx), max_attempts=1
    )

    with pytest.raises(Retry):
        await sync_prices(ctx, "brickowl", "sw0001a")

    async with ctx["services"].session_factory() as session:
        run = (await session.scalars(select(SyncRun))).one()
    assert run.error is not None
    assert "ReadTimeout: read timed out after " in run.error
    assert "(limit 30.0s) on GET https://api.brickowl.com/v1/catalog/id_lookup" in run.error
    assert "owl-key" not in run.error


async def test_base_url_setting_points_a_source_elsewhere(make_ctx: Callable[..., Any]) -> None:
    hosts: list[str] = []

    def sandbox(request: httpx.Request) -> httpx.Response:
        hosts.append(str(request.url.copy_with(query=None)))
        return httpx.Response(200, json={"boids": []}, headers=_json)

    ctx = await make_ctx(
        sandbox,
        brickowl_api_key=SecretStr("owl-key-GGGG"),
        brickowl_base_url="http://recorder.local:8080/owl",
    )
    await _with_figure(ctx, RecordedSleeps(), "brickowl")
    await sync_prices(ctx, "brickowl", "sw0001a")
    assert hosts == ["http://recorder.local:8080/owl/catalog/id_lookup"]


def test_scrub_removes_query_strings_url_passwords_and_bearer_tokens() -> None:
    text = (
        "see https://api.example.com/v1/x?key=abc&id=1 via postgresql://u:pw@db/stonks "
        'Authorization: Bearer tok.en {"access_token": "zzz"}'
    )
    assert scrub(text) == (
        "see https://api.example.com/v1/x?*** via postgresql://u:***@db/stonks "
        'Authorization: Bearer *** {"access_token": "***"}'
    )


def test_failure_record_keeps_detail_below_a_public_first_line() -> None:
    record = failure_record(SourceRejectedError("ebay", 401, detail="token xyz refused"), ["xyz"])
    assert record == "SourceRejectedError: ebay: HTTP 401\ntoken *** refused"
    assert public_summary(record) == "SourceRejectedError: ebay: HTTP 401"
    assert public_summary("x" * 500) == "x" * 159 + "…"
