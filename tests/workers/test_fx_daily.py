"""The daily ECB job: recorded eurofxref-daily.xml in, rates (and their history) stored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text

from server.models import FxRate
from server.store.fx import Rate, upsert_rates
from tests.workers.conftest import recording
from workers.context import services_of
from workers.jobs.fx import fetch_ecb_daily
from workers.sources.errors import MalformedResponseError, SourceUnavailableError
from workers.sources.fx import ECB_DAILY_URL

DAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
async def _no_rates_left(make_ctx: Callable[..., Any]) -> Any:
    yield
    ctx = await make_ctx()
    async with services_of(ctx).session_factory() as session, session.begin():
        # Only this file's days: the shipped table (older days) stays for other tests.
        for table in ("fx_rates", "fx_rate_history"):
            await session.execute(text(f"DELETE FROM {table} WHERE day >= '2026-06-01'"))


async def test_the_daily_file_adds_the_days_rates_and_keeps_the_shipped_ones(
    make_ctx: Callable[..., Any],
) -> None:
    requested: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        return httpx.Response(200, content=recording("ecb_eurofxref_daily.xml"))

    ctx = await make_ctx(handler)
    async with services_of(ctx).session_factory() as session, session.begin():
        await upsert_rates(session, [Rate("EUR", date(2026, 10, 1), Decimal("1.16"))], "shipped")
        # The quarterly table's guess for the same day the ECB now publishes.
        await upsert_rates(session, [Rate("GBP", DAY, Decimal("1.30"))], "shipped")

    stored = await fetch_ecb_daily(ctx)

    async with services_of(ctx).session_factory() as session:
        rates = {
            (r.currency, r.day): (r.usd_per_unit, r.source)
            for r in await session.scalars(select(FxRate))
        }
        history = (
            await session.execute(
                text(
                    "SELECT source, usd_per_unit FROM fx_rate_history "
                    "WHERE currency = 'GBP' AND day = '2026-11-20' ORDER BY source"
                )
            )
        ).all()
    assert requested == [ECB_DAILY_URL]
    assert stored == 12  # EUR and the 11 other currencies quoted
    assert rates[("EUR", DAY)] == (Decimal("1.15250000"), "ecb")
    assert rates[("GBP", DAY)] == (Decimal("1.30951028"), "ecb")
    assert rates[("EUR", date(2026, 10, 1))] == (Decimal("1.16000000"), "shipped")
    assert history == [("ecb", Decimal("1.30951028")), ("shipped", Decimal("1.30000000"))]


async def test_the_shipped_table_never_replaces_an_ecb_rate(make_ctx: Callable[..., Any]) -> None:
    ctx = await make_ctx()
    async with services_of(ctx).session_factory() as session, session.begin():
        await upsert_rates(session, [Rate("GBP", DAY, Decimal("1.31"))], "ecb")
        await upsert_rates(session, [Rate("GBP", DAY, Decimal("1.30"))], "shipped")
        rate = await session.scalar(
            select(FxRate.usd_per_unit).where(FxRate.currency == "GBP", FxRate.day == DAY)
        )

    assert rate == Decimal("1.31")


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (httpx.Response(503), SourceUnavailableError),
        (httpx.Response(200, content=b"<html>maintenance</html>"), MalformedResponseError),
    ],
)
async def test_a_failed_download_is_a_clear_source_error(
    make_ctx: Callable[..., Any], response: httpx.Response, error: type[Exception]
) -> None:
    ctx = await make_ctx(lambda request: response)

    with pytest.raises(error):
        await fetch_ecb_daily(ctx)
