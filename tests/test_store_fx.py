from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from server.store.fx import Rate, UnknownRateError, known_currencies, upsert_rates, usd_per_unit


async def test_rate_of_the_day_or_the_closest_earlier_day(session: AsyncSession) -> None:
    await upsert_rates(
        session,
        [
            Rate("EUR", date(2026, 11, 6), Decimal("1.08")),  # a Friday
            Rate("EUR", date(2026, 11, 9), Decimal("1.09")),
        ],
        source="test",
    )

    assert await usd_per_unit(session, "EUR", date(2026, 11, 6)) == Decimal("1.08")
    assert await usd_per_unit(session, "EUR", date(2026, 11, 8)) == Decimal("1.08")
    assert await usd_per_unit(session, "EUR", date(2026, 11, 9)) == Decimal("1.09")
    assert await usd_per_unit(session, "USD", date(1990, 1, 1)) == Decimal(1)
    assert await known_currencies(session) == ["USD", "EUR"]


async def test_a_corrected_rate_replaces_the_old_one(session: AsyncSession) -> None:
    await upsert_rates(session, [Rate("GBP", date(2026, 11, 6), Decimal("1.20"))], "a")
    await upsert_rates(session, [Rate("GBP", date(2026, 11, 6), Decimal("1.25"))], "b")

    assert await usd_per_unit(session, "GBP", date(2026, 11, 6)) == Decimal("1.25")


async def test_no_rate_before_the_day_is_a_typed_error(session: AsyncSession) -> None:
    await upsert_rates(session, [Rate("JPY", date(2026, 11, 6), Decimal("0.0066"))], "t")

    with pytest.raises(UnknownRateError, match="no JPY rate on or before 2026-11-05"):
        await usd_per_unit(session, "JPY", date(2026, 11, 5))
