"""Connection pages written as JSON by PostgreSQL (server/graphql/json_pages.py) answer
byte for byte as the ordinary completion does."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tests.graphql.conftest import GraphQLClient, StatementCounter
from tests.graphql.market_data import add_figures, add_listings, add_medians

NOW = datetime.now(UTC).replace(microsecond=0)

# Cursors (no SQL form) are selected only when $ordinary holds: then the pages are
# completed the ordinary way, field by field, and the rest of the answer must not change.
PAGES = """query($ordinary: Boolean = false, $after: String) {
  minifigure(figNum: "sw0001a") {
    snapshots(first: 3, after: $after) {
      __typename
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { __typename cursor @include(if: $ordinary)
        node { day condition median mean max soldCount again: median(currency: "usd") } }
      more: pageInfo { endCursor }
    }
    listings(first: 4) {
      edges { cursor @include(if: $ordinary) node {
        observedAt price shipping source externalId kind condition quantity sellerName
        sellerCountry excludedReason originalCurrency __typename } }
      pageInfo { hasNextPage endCursor }
    }
    empty: listings(first: 5, kind: ASK) {
      edges { cursor @include(if: $ordinary) node { price } } pageInfo { endCursor } }
  }
}"""


async def _seed(committed: AsyncSession) -> None:
    ids = await add_figures(committed, {"fig_num": "sw0001a"})
    figure = ids["sw0001a"]
    # Whole, half and odd-cent prices; moments with and without microseconds.
    for offset, (price, micro) in enumerate(
        [("12.00", 0), ("12.50", 123456), ("0.07", 500000), ("1234567.89", 0), ("10.10", 1)]
    ):
        moment = NOW - timedelta(hours=offset + 1, microseconds=-micro)
        await add_listings(
            committed,
            figure,
            [(moment, price)],
            seller_name='Ann "the \\ seller" Émile\n\t\x01',
            seller_country=None if offset % 2 else "DE",
            shipping_usd=None if offset % 2 else Decimal(price),
        )
    await add_medians(committed, figure, {0: "20.00", 1: "20.50", 2: "19.99", 3: "0.10"})
    await committed.commit()


async def _answer(gql: GraphQLClient, **variables: Any) -> tuple[str, dict[str, Any]]:
    response = await gql.http.post("/graphql", json={"query": PAGES, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return response.text, body["data"]["minifigure"]


async def test_json_pages_answer_byte_for_byte_as_the_ordinary_completion(
    gql: GraphQLClient, committed: AsyncSession, statements: StatementCounter
) -> None:
    await _seed(committed)

    statements.reset()
    raw, fast = await _answer(gql)
    from_sql = statements.count
    # Snapshots, listings, and the empty page (in the recent window, half a year, then
    # everywhere).
    assert sum("array_to_string" in sql for sql in statements.statements) == 5
    statements.reset()
    _, ordinary = await _answer(gql, ordinary=True)
    assert not any("array_to_string" in sql for sql in statements.statements)
    assert statements.count == from_sql

    for connection in ("snapshots", "listings"):
        for edge in ordinary[connection]["edges"]:
            assert edge.pop("cursor")
    # json.dumps tells 12 from 12.0, which == does not.
    assert json.dumps(fast) == json.dumps(ordinary)
    assert '"price":12.0,' in raw
    assert '"price":0.07,' in raw
    listings = fast["listings"]["edges"]
    assert [edge["node"]["price"] for edge in listings] == [12.0, 12.5, 0.07, 1234567.89]
    assert listings[0]["node"]["sellerName"] == 'Ann "the \\ seller" Émile\n\t\x01'
    assert fast["listings"]["pageInfo"]["hasNextPage"] is True
    assert fast["empty"] == {"edges": [], "pageInfo": {"endCursor": None}}
    snapshots = fast["snapshots"]
    assert [edge["node"]["median"] for edge in snapshots["edges"]] == [20.0, 20.5, 19.99]

    # The cursors of a JSON page lead on as the ordinary ones do.
    after = snapshots["pageInfo"]["endCursor"]
    _, second = await _answer(gql, after=after)
    _, second_ordinary = await _answer(gql, after=after, ordinary=True)
    for edge in second_ordinary["snapshots"]["edges"]:
        del edge["cursor"]
    assert json.dumps(second["snapshots"]) == json.dumps(second_ordinary["snapshots"])
    assert [edge["node"]["median"] for edge in second["snapshots"]["edges"]] == [0.1]
    assert second["snapshots"]["pageInfo"]["hasPreviousPage"] is True


async def test_selections_without_a_sql_form_complete_as_usual(
    gql: GraphQLClient, committed: AsyncSession, statements: StatementCounter
) -> None:
    await _seed(committed)

    statements.reset()
    body = await gql.execute(
        """{ minifigure(figNum: "sw0001a") {
          a: listings(first: 2) { edges { node { price } } }
          b: listings(first: 2) { nodes { price } }
          c: listings(first: 2) { edges { cursor node { price } } }
          d: listings(first: 2) { edges { node { price(currency: "EUR ") } } }
        } }"""
    )

    # Only `a` is written in SQL; the others are completed field by field.
    assert sum("array_to_string" in sql for sql in statements.statements) == 1
    prices = [12.0, 12.5]
    figure = body["data"]["minifigure"]
    assert [edge["node"]["price"] for edge in figure["a"]["edges"]] == prices
    assert [node["price"] for node in figure["b"]["nodes"]] == prices
    assert [edge["node"]["price"] for edge in figure["c"]["edges"]] == prices
    assert all(edge["cursor"] for edge in figure["c"]["edges"])
    # Without a EUR rate, each price fails on its own, as the ordinary path reports it.
    assert figure["d"]["edges"] == [{"node": {"price": None}}] * 2
    assert [error["path"][-3:] for error in body["errors"]] == [
        [0, "node", "price"],
        [1, "node", "price"],
    ]


HISTORY = """query($ordinary: Boolean = false, $interval: PriceInterval!, $width: String) {
  minifigure(figNum: "sw0001a") {
    priceHistory(from: "2026-01-01T00:00:00Z", to: "2026-03-01T00:00:00Z",
                 interval: $interval, width: $width) {
      __typename start open high low close median volume trades day: start
      other: open(currency: "XYZ") @include(if: $ordinary)
    }
  }
}"""


async def test_price_histories_in_json_answer_as_the_ordinary_completion(
    gql: GraphQLClient, committed: AsyncSession, statements: StatementCounter
) -> None:
    ids = await add_figures(committed, {"fig_num": "sw0001a"})
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    prices = [
        (start + timedelta(days=day, hours=hour, microseconds=day), f"{10 + day + hour / 4:.2f}")
        for day in range(40)
        for hour in range(3)
    ]
    await add_listings(committed, ids["sw0001a"], prices)
    await committed.commit()

    # Daily (the continuous aggregate where there is one), weekly, and 4-hour buckets.
    for interval, width, buckets in (("DAY", None, 40), ("WEEK", None, 6), ("DAY", "PT4H", 40)):
        statements.reset()
        fast = await gql.execute(HISTORY, interval=interval, width=width)
        assert any("array_to_string" in sql for sql in statements.statements)
        ordinary = await gql.execute(HISTORY, interval=interval, width=width, ordinary=True)
        assert {error["extensions"]["code"] for error in ordinary["errors"]} == {"UNKNOWN_CURRENCY"}
        candles = ordinary["data"]["minifigure"]["priceHistory"]
        for candle in candles:
            del candle["other"]
        assert "errors" not in fast, fast
        assert json.dumps(fast["data"]["minifigure"]["priceHistory"]) == json.dumps(candles)
        assert len(candles) == buckets
        assert candles[0]["__typename"] == "Candle"
