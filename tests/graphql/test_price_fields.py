"""Minifigure price fields: latest price, stats, history candles, snapshots and listings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from server.graphql.node import to_global_id
from server.models import Condition, ListingKind
from tests.graphql.conftest import GraphQLClient
from tests.graphql.market_data import (
    add_figures,
    add_listings,
    add_medians,
    day_ago,
    noon_ago,
    today,
)


@pytest.fixture
async def luke(committed: AsyncSession) -> uuid.UUID:
    ids = await add_figures(committed, {"fig_num": "sw0001a"})
    await committed.commit()
    return ids["sw0001a"]


async def _figure(gql: GraphQLClient, selection: str, **variables: Any) -> dict[str, Any]:
    data = await gql.data(f'{{ minifigure(figNum: "sw0001a") {{ {selection} }} }}', **variables)
    figure: dict[str, Any] = data["minifigure"]
    return figure


async def test_latest_price_per_condition(
    gql: GraphQLClient, committed: AsyncSession, luke: uuid.UUID
) -> None:
    await add_listings(committed, luke, [(noon_ago(3), "10.00"), (noon_ago(1), "12.00")])
    await add_listings(committed, luke, [(noon_ago(0, 1), "99.00")], excluded_reason="lot")
    await add_listings(
        committed,
        luke,
        [(noon_ago(2), "15.00"), (noon_ago(1, 9), "14.00"), (noon_ago(20), "5.00")],
        kind=ListingKind.ASK,
        source="brickowl",
    )
    await add_listings(committed, luke, [(noon_ago(1), "40.00")], condition=Condition.NEW)
    await add_medians(committed, luke, {1: "11.00", 2: "10.50"})
    await committed.commit()

    figure = await _figure(
        gql,
        """used: latestPrice { condition lastSale lastSaleAt lastSaleSource lowestAsk
                               lowestAskSource median medianDay lastSeenAt }
           new: latestPrice(condition: NEW) { lastSale lowestAsk median }""",
    )

    assert figure["used"] == {
        "condition": "USED",
        "lastSale": 12.0,
        "lastSaleAt": noon_ago(1).isoformat(),
        "lastSaleSource": "bricklink",
        # The 5.00 ask is 20 days old: no longer current.
        "lowestAsk": 14.0,
        "lowestAskSource": "brickowl",
        "median": 11.0,
        "medianDay": day_ago(1).isoformat(),
        "lastSeenAt": noon_ago(1).isoformat(),
    }
    assert figure["new"] == {"lastSale": 40.0, "lowestAsk": None, "median": None}


async def test_stats_over_a_window(
    gql: GraphQLClient, committed: AsyncSession, luke: uuid.UUID
) -> None:
    await add_listings(
        committed,
        luke,
        [(noon_ago(1), "10.00"), (noon_ago(2), "20.00"), (noon_ago(3), "30.00")],
        quantity=2,
    )
    await add_listings(committed, luke, [(noon_ago(40), "100.00")])
    await add_medians(committed, luke, {6: "10.00", 3: "20.00", 0: "15.00"})
    await committed.commit()

    figure = await _figure(
        gql,
        """week: stats(window: D7) { window condition changePct volatilityPct low high median
                                     sampleSize volume lastSaleAt }
           year: stats(window: Y1) { sampleSize high changePct }
           new: stats(window: D7, condition: NEW) { sampleSize changePct median }""",
    )

    week = figure["week"]
    assert week["changePct"] == 50.0
    assert week["volatilityPct"] > 0
    assert {k: week[k] for k in ("low", "high", "median", "sampleSize", "volume")} == {
        "low": 10.0,
        "high": 30.0,
        "median": 20.0,
        "sampleSize": 3,
        "volume": 6,
    }
    assert week["lastSaleAt"] == noon_ago(1).isoformat()
    assert (week["window"], week["condition"]) == ("D7", "USED")
    assert figure["year"] == {"sampleSize": 4, "high": 100.0, "changePct": 50.0}
    assert figure["new"] == {"sampleSize": 0, "changePct": None, "median": None}


async def test_price_history_buckets_by_day_week_and_month(
    gql: GraphQLClient, committed: AsyncSession, luke: uuid.UUID
) -> None:
    monday = datetime(2026, 3, 2, tzinfo=UTC)
    await add_listings(
        committed,
        luke,
        [
            (monday + timedelta(hours=9), "10.00"),
            (monday + timedelta(hours=15), "14.00"),
            (monday + timedelta(hours=12), "8.00"),
            (monday + timedelta(days=2), "20.00"),
            (monday + timedelta(days=30), "30.00"),
        ],
    )
    await add_listings(
        committed, luke, [(monday + timedelta(hours=1), "1.00")], kind=ListingKind.ASK
    )
    await committed.commit()
    fields = "start open high low close median volume trades"
    window = 'from: "2026-03-01T00:00:00Z", to: "2026-05-01T00:00:00Z"'

    figure = await _figure(
        gql,
        f"""day: priceHistory({window}, interval: DAY) {{ {fields} }}
            week: priceHistory({window}, interval: WEEK) {{ {fields} }}
            month: priceHistory({window}, interval: MONTH) {{ start open close trades }}
            asks: priceHistory({window}, kind: ASK) {{ close }}
            none: priceHistory({window}, condition: NEW) {{ close }}""",
    )

    first_day = {
        "start": "2026-03-02T00:00:00+00:00",
        "open": 10.0,
        "high": 14.0,
        "low": 8.0,
        "close": 14.0,
        "median": 10.0,
        "volume": 3,
        "trades": 3,
    }
    assert figure["day"][0] == first_day
    assert [c["start"][:10] for c in figure["day"]] == ["2026-03-02", "2026-03-04", "2026-04-01"]
    assert figure["week"][0] == {
        **first_day,
        "high": 20.0,
        "close": 20.0,
        "median": 12.0,
        "volume": 4,
        "trades": 4,
    }
    assert figure["month"] == [
        {"start": "2026-03-01T00:00:00+00:00", "open": 10.0, "close": 20.0, "trades": 4},
        {"start": "2026-04-01T00:00:00+00:00", "open": 30.0, "close": 30.0, "trades": 1},
    ]
    assert figure["asks"] == [{"close": 1.0}]
    assert figure["none"] == []


async def test_price_history_range_errors(gql: GraphQLClient, luke: uuid.UUID) -> None:
    query = """query($from: DateTime!, $to: DateTime!) { minifigure(figNum: "sw0001a") {
                 priceHistory(from: $from, to: $to) { close } } }"""

    backwards = await gql.error_codes(query, to="2026-01-01T00:00:00Z", **{"from": "2026-02-01"})
    huge = await gql.error_codes(query, to="2026-01-01T00:00:00Z", **{"from": "2000-01-01"})

    assert backwards == ["INVALID_RANGE"]
    assert huge == ["RANGE_TOO_LARGE"]


async def test_listings_filter_page_and_show_exclusions(
    gql: GraphQLClient, committed: AsyncSession, luke: uuid.UUID
) -> None:
    await add_listings(committed, luke, [(noon_ago(d), f"{10 + d}.00") for d in range(5)])
    await add_listings(committed, luke, [(noon_ago(2, 13), "500.00")], excluded_reason="outlier")
    await add_listings(
        committed, luke, [(noon_ago(1), "9.00")], kind=ListingKind.ASK, source="ebay"
    )
    await committed.commit()
    query = """query($after: String, $kind: ListingKind, $source: String, $all: Boolean!,
                     $from: DateTime) {
      minifigure(figNum: "sw0001a") {
        listings(first: 2, after: $after, kind: $kind, source: $source,
                 includeExcluded: $all, from: $from) {
          edges { cursor node { id price kind source excludedReason observedAt } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }"""

    async def listings(**variables: Any) -> dict[str, Any]:
        data = await gql.data(query, **({"all": False} | variables))
        page: dict[str, Any] = data["minifigure"]["listings"]
        return page

    prices: list[float] = []
    after = None
    while True:
        page = await listings(after=after, kind="SOLD")
        prices += [edge["node"]["price"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    with_excluded = await listings(kind="SOLD", all=True, **{"from": noon_ago(2).isoformat()})
    ebay = await listings(source="ebay")

    assert prices == [10.0, 11.0, 12.0, 13.0, 14.0]
    assert [(e["node"]["price"], e["node"]["excludedReason"]) for e in with_excluded["edges"]] == [
        (10.0, None),
        (11.0, None),
    ]
    page_two = await listings(kind="SOLD", all=True, after=with_excluded["pageInfo"]["endCursor"])
    assert [e["node"]["excludedReason"] for e in page_two["edges"]] == ["outlier", None]
    [ask] = ebay["edges"]
    assert (ask["node"]["kind"], ask["node"]["source"]) == ("ASK", "ebay")
    node = await gql.data(
        "query($id: ID!) { node(id: $id) { ... on Listing { price minifigure { figNum } } } }",
        id=ask["node"]["id"],
    )
    assert node["node"] == {"price": 9.0, "minifigure": {"figNum": "sw0001a"}}


async def test_snapshots_connection(
    gql: GraphQLClient, committed: AsyncSession, luke: uuid.UUID
) -> None:
    await add_medians(committed, luke, {d: f"{10 + d}.00" for d in range(6)})
    await add_medians(committed, luke, {0: "50.00"}, condition=Condition.NEW)
    await committed.commit()
    query = """query($after: String, $condition: Condition, $from: Date) {
      minifigure(figNum: "sw0001a") {
        snapshots(first: 3, after: $after, condition: $condition, from: $from) {
          edges { node { day condition median soldCount } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }"""

    first = (await gql.data(query))["minifigure"]["snapshots"]
    second = (await gql.data(query, after=first["pageInfo"]["endCursor"]))["minifigure"][
        "snapshots"
    ]
    recent_used = (await gql.data(query, condition="USED", **{"from": day_ago(1).isoformat()}))[
        "minifigure"
    ]["snapshots"]

    assert [(e["node"]["day"], e["node"]["condition"]) for e in first["edges"]] == [
        (today().isoformat(), "USED"),
        (today().isoformat(), "NEW"),
        (day_ago(1).isoformat(), "USED"),
    ]
    assert first["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["median"] for e in second["edges"]] == [12.0, 13.0, 14.0]
    assert [e["node"]["median"] for e in recent_used["edges"]] == [10.0, 11.0]
    assert recent_used["pageInfo"]["hasNextPage"] is False


async def test_unknown_ids_give_null_and_bad_listing_arguments_errors(
    gql: GraphQLClient, luke: uuid.UUID
) -> None:
    missing_listing = to_global_id("Listing", 123456789)
    data = await gql.data(f'{{ node(id: "{missing_listing}") {{ id }} }}')
    backwards = await gql.error_codes(
        '{ minifigure(figNum: "sw0001a") { listings(from: "2026-02-01T00:00:00Z", '
        'to: "2026-01-01T00:00:00Z") { edges { cursor } } } }'
    )
    too_many = await gql.error_codes(
        '{ minifigure(figNum: "sw0001a") { snapshots(first: 1000) { edges { cursor } } } }'
    )
    bad_cursor = await gql.error_codes(
        '{ minifigure(figNum: "sw0001a") { listings(after: "abc") { edges { cursor } } } }'
    )

    assert data == {"node": None}
    assert backwards == ["INVALID_RANGE"]
    assert too_many == ["INVALID_PAGE_SIZE"]
    assert bad_cursor == ["INVALID_CURSOR"]
