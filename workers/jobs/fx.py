"""Exchange rates: the shipped table on first start, the ECB's reference rates daily."""

from __future__ import annotations

from typing import Any

import httpx

from server.store.fx import known_currencies, upsert_rates
from workers.context import Services, http_of, services_of
from workers.sources.errors import MalformedResponseError, SourceUnavailableError
from workers.sources.fx import ECB_DAILY_URL, FxFormatError, parse_ecb_xml, shipped_rates


async def load_shipped_rates(services: Services) -> int:
    """Loads the shipped table into an empty fx_rates table (imported rates are never replaced)."""
    async with services.session_factory() as session, session.begin():
        if await known_currencies(session) != ["USD"]:
            return 0
        rates = shipped_rates()
        await upsert_rates(session, rates, source="shipped")
    return len(rates)


ECB = "ecb"


async def fetch_ecb_daily(ctx: dict[str, Any]) -> int:
    """Adds the ECB's latest reference rates (eurofxref-daily.xml); returns rates stored.

    Earlier rates stay: each day is its own row, and the history keeps every version.
    """
    try:
        response = await http_of(ctx).get(ECB_DAILY_URL)
        response.raise_for_status()
    except httpx.HTTPError as error:
        raise SourceUnavailableError(ECB, f"{type(error).__name__}: {error}") from error
    try:
        rates = parse_ecb_xml(response.content)
    except FxFormatError as error:
        raise MalformedResponseError(ECB, str(error)) from error
    async with services_of(ctx).session_factory() as session, session.begin():
        await upsert_rates(session, rates, source=ECB)
    return len(rates)
