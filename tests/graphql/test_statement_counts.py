"""A request's SQL statement count depends on its shape, never on page sizes (no N+1)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Condition, ListingKind
from tests.graphql.conftest import GraphQLClient, StatementCounter
from tests.graphql.market_data import add_figures, add_listings, add_medians, noon_ago

CATALOG_PAGE = """query($first: Int!) {
  minifigures(first: $first, orderBy: {field: FIG_NUM}) {
    edges { node { figNum name latestPrice { lastSale lowestAsk median lastSeenAt } } }
  }
}"""

DETAIL_PAGE = """query($fig: String!, $listings: Int!) {
  minifigure(figNum: $fig) {
    figNum name theme yearReleased imageUrl
    new: latestPrice(condition: NEW) { lastSale lowestAsk median lastSeenAt }
    used: latestPrice(condition: USED) { lastSale lowestAsk median lastSeenAt }
    stats(window: D30) { changePct volatilityPct low high median sampleSize volume }
    priceHistory(interval: DAY) { start open high low close median volume }
    listings(first: $listings) { edges { node { price observedAt source excludedReason } } }
  }
}"""

SERIES_PAGE = """query($first: Int!) {
  minifigures(first: $first, orderBy: {field: FIG_NUM}) {
    edges { node {
      figNum
      snapshots(first: 90) { edges { node { day median } } }
      listings(first: 10) { edges { node { price observedAt } } }
    } }
  }
}"""


async def _seed(committed: AsyncSession, count: int, *, days: int, listings: int) -> None:
    ids = await add_figures(
        committed, *[{"fig_num": f"fig{i:04d}", "name": f"Figure {i}"} for i in range(count)]
    )
    for minifigure_id in ids.values():
        await add_medians(committed, minifigure_id, {d: f"{10 + d % 7}.00" for d in range(days)})
        await add_listings(
            committed, minifigure_id, [(noon_ago(d), f"{10 + d}.00") for d in range(listings)]
        )
        await add_listings(committed, minifigure_id, [(noon_ago(1), "8.00")], kind=ListingKind.ASK)
        await add_listings(
            committed, minifigure_id, [(noon_ago(2), "30.00")], condition=Condition.NEW
        )
    await committed.commit()


async def _count(
    gql: GraphQLClient, statements: StatementCounter, query: str, **variables: object
) -> tuple[int, dict[str, Any]]:
    statements.reset()
    data = await gql.data(query, **variables)
    return statements.count, data


async def test_a_50_item_catalog_page_with_latest_prices(
    gql: GraphQLClient, committed: AsyncSession, statements: StatementCounter
) -> None:
    await _seed(committed, 60, days=3, listings=3)

    small, _ = await _count(gql, statements, CATALOG_PAGE, first=5)
    large, data = await _count(gql, statements, CATALOG_PAGE, first=50)

    edges = data["minifigures"]["edges"]
    assert len(edges) == 50
    assert all(edge["node"]["latestPrice"]["lastSale"] == 10.0 for edge in edges)
    # The page, then every latest price at once.
    assert (small, large) == (2, 2)


async def test_the_frontend_detail_page(
    gql: GraphQLClient, committed: AsyncSession, statements: StatementCounter
) -> None:
    await _seed(committed, 1, days=365, listings=300)

    few, _ = await _count(gql, statements, DETAIL_PAGE, fig="fig0000", listings=5)
    many, data = await _count(gql, statements, DETAIL_PAGE, fig="fig0000", listings=50)

    figure = data["minifigure"]
    assert len(figure["priceHistory"]) == 300
    assert len(figure["listings"]["edges"]) == 50
    # Catalog row, latest NEW and USED together, stats, history, listings. The listings
    # are looked for in the last 35 days first: 5 are there, 51 are not, and the larger
    # page costs one more statement (all of the history), whatever its size.
    assert (few, many) == (5, 6)


async def test_20_minifigures_with_90_days_of_snapshots_and_10_listings(
    gql: GraphQLClient, committed: AsyncSession, statements: StatementCounter
) -> None:
    await _seed(committed, 20, days=90, listings=10)

    two, _ = await _count(gql, statements, SERIES_PAGE, first=2)
    twenty, data = await _count(gql, statements, SERIES_PAGE, first=20)

    edges = data["minifigures"]["edges"]
    assert len(edges) == 20
    assert all(len(edge["node"]["snapshots"]["edges"]) == 90 for edge in edges)
    assert all(len(edge["node"]["listings"]["edges"]) == 10 for edge in edges)
    # The page, all snapshot pages, all listing pages.
    assert (two, twenty) == (3, 3)


LATEST = """query { minifigures(first: 10, orderBy: {field: FIG_NUM}) {
  edges { node { figNum latestPrice { lastSale lastSeenAt } } } } }"""


async def test_latest_prices_older_than_the_recent_window(
    gql: GraphQLClient, committed: AsyncSession, statements: StatementCounter
) -> None:
    ids = await add_figures(
        committed, {"fig_num": "new0001", "name": "Recent"}, {"fig_num": "old0001", "name": "Old"}
    )
    await add_listings(committed, ids["new0001"], [(noon_ago(3), "5.00")])
    await add_listings(
        committed, ids["old0001"], [(noon_ago(100), "7.00"), (noon_ago(400), "9.00")]
    )
    await committed.commit()

    count, data = await _count(gql, statements, LATEST)

    prices = {e["node"]["figNum"]: e["node"]["latestPrice"] for e in data["minifigures"]["edges"]}
    assert prices["new0001"]["lastSale"] == 5.0
    # Found in the whole history, where the last 35 days have nothing.
    assert prices["old0001"]["lastSale"] == 7.0
    assert prices["old0001"]["lastSeenAt"].startswith(noon_ago(100).date().isoformat())
    # The page; the latest prices of the last 35 days; the whole history for the one
    # figure the window did not settle.
    assert count == 3
