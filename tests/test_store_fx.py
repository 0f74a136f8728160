from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from server.store.fx import Rate, known_currencies, upsert_rates
from server.store.fx_queries import usd_per_unit_on_days

FRIDAY, SUNDAY, MONDAY = date(2026, 11, 6), date(2026, 11, 8), date(2026, 11, 9)


async def test_rate_of_the_day_or_the_closest_earlier_day(session: AsyncSession) -> None:
    await upsert_rates(
        session,
        [Rate("EUR", FRIDAY, Decimal("1.08")), Rate("EUR", MONDAY, Decimal("1.09"))],
        source="test",
    )

    assert await usd_per_unit_on_days(session, "EUR", [FRIDAY, SUNDAY, MONDAY]) == {
        FRIDAY: Decimal("1.08"),
        SUNDAY: Decimal("1.08"),
        MONDAY: Decimal("1.09"),
    }
    assert await usd_per_unit_on_days(session, "USD", [date(1990, 1, 1)]) == {
        date(1990, 1, 1): Decimal(1)
    }
    assert await known_currencies(session) == ["USD", "EUR"]


async def test_a_corrected_rate_replaces_the_old_one(session: AsyncSession) -> None:
    await upsert_rates(session, [Rate("GBP", FRIDAY, Decimal("1.20"))], "a")
    await upsert_rates(session, [Rate("GBP", FRIDAY, Decimal("1.25"))], "b")

    assert await usd_per_unit_on_days(session, "GBP", [FRIDAY]) == {FRIDAY: Decimal("1.25")}


async def test_a_day_before_the_first_rate_has_none(session: AsyncSession) -> None:
    await upsert_rates(session, [Rate("JPY", FRIDAY, Decimal("0.0066"))], "t")

    assert await usd_per_unit_on_days(session, "JPY", [date(2026, 11, 5), FRIDAY]) == {
        FRIDAY: Decimal("0.00660000")
    }
