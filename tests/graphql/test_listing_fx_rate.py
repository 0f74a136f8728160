"""Each listing shows the exchange rate its USD price was converted at."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from tests.graphql.conftest import GraphQLClient
from tests.graphql.market_data import add_figures, add_listings, noon_ago


async def test_the_rate_used_is_on_the_listing(gql: GraphQLClient, committed: AsyncSession) -> None:
    ids = await add_figures(committed, {"fig_num": "sw0001a"})
    await add_listings(
        committed,
        ids["sw0001a"],
        [(noon_ago(1), "12.50")],
        original_price=Decimal("11.40"),
        original_currency="EUR",
        fx_rate=Decimal("1.0965"),
    )
    await committed.commit()

    data = await gql.data(
        '{ minifigure(figNum: "sw0001a") { listings { nodes { '
        "price originalPrice originalCurrency fxRate } } } }"
    )

    assert data["minifigure"]["listings"]["nodes"] == [
        {"price": 12.5, "originalPrice": 11.4, "originalCurrency": "EUR", "fxRate": 1.0965}
    ]
