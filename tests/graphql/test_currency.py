"""Money fields in other currencies, at the exchange rate of each amount's day."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.store.fx import Rate, upsert_rates
from tests.graphql.conftest import GraphQLClient, StatementCounter
from tests.graphql.market_data import add_figures, add_listings


@pytest.fixture
async def eur_rates(committed: AsyncSession) -> AsyncIterator[None]:
    await upsert_rates(
        committed,
        [
            Rate("EUR", date(2026, 3, 2), Decimal("1.25")),  # a Monday
            Rate("EUR", date(2026, 3, 4), Decimal("1.10")),
        ],
        source="test",
    )
    await committed.commit()
    yield
    await committed.execute(text("DELETE FROM fx_rates WHERE source = 'test'"))
    await committed.commit()


async def test_amounts_convert_at_the_rate_of_their_day(
    gql: GraphQLClient, committed: AsyncSession, eur_rates: None, statements: StatementCounter
) -> None:
    ids = await add_figures(committed, {"fig_num": "sw0001a"})
    await add_listings(
        committed,
        ids["sw0001a"],
        [
            (datetime(2026, 3, 2, 10, tzinfo=UTC), "10.00"),
            # Tuesday has no rate of its own: Monday's applies.
            (datetime(2026, 3, 3, 10, tzinfo=UTC), "12.50"),
            (datetime(2026, 3, 4, 10, tzinfo=UTC), "11.00"),
        ],
    )
    await committed.commit()

    statements.reset()
    data = await gql.data(
        """query($c: String!) { minifigure(figNum: "sw0001a") {
             priceHistory(from: "2026-03-01T00:00:00Z", to: "2026-03-08T00:00:00Z") {
               usd: close eur: close(currency: $c) lowEur: low(currency: $c)
             }
             listings(first: 3) { edges { node { price(currency: "eur") shipping(currency: $c) } } }
           } }""",
        c="EUR",
    )

    figure = data["minifigure"]
    assert figure["priceHistory"] == [
        {"usd": 10.0, "eur": 8.0, "lowEur": 8.0},
        {"usd": 12.5, "eur": 10.0, "lowEur": 10.0},
        {"usd": 11.0, "eur": 10.0, "lowEur": 10.0},
    ]
    assert [e["node"] for e in figure["listings"]["edges"]] == [
        {"price": 10.0, "shipping": None},
        {"price": 10.0, "shipping": None},
        {"price": 8.0, "shipping": None},
    ]
    # The figure, its history, its listings (the recent window, half a year, then all of
    # them: the figure has fewer than a page), and the EUR rates of all those days at once.
    assert statements.count == 6


async def test_unknown_currencies_are_client_errors(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    ids = await add_figures(committed, {"fig_num": "sw0001a"})
    await add_listings(committed, ids["sw0001a"], [(datetime(2026, 3, 2, tzinfo=UTC), "10.00")])
    await committed.commit()

    async def codes(currency: str) -> list[str]:
        return await gql.error_codes(
            """query($c: String!) { minifigure(figNum: "sw0001a") {
                 latestPrice { lastSale(currency: $c) } } }""",
            c=currency,
        )

    assert await codes("XYZ") == ["UNKNOWN_CURRENCY"]
    assert await codes("euro") == ["UNKNOWN_CURRENCY"]
    assert await codes("USD") == []
