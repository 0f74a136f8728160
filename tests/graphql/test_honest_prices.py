"""Headline prices come from sales; asking prices are figures of their own.

The data reproduces what a collector saw on sw0004: the day's only listing was an ask
of $21.75 while the last sale was $17.33, and the headline median showed the ask.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import ListingKind
from server.store.aggregation import recompute_snapshots
from tests.graphql.conftest import GraphQLClient
from tests.graphql.market_data import add_figures, add_listings, day_ago, noon_ago


@pytest.fixture
async def figure(committed: AsyncSession) -> uuid.UUID:
    ids = await add_figures(committed, {"fig_num": "sw0004"})
    minifigure_id = ids["sw0004"]
    await add_listings(committed, minifigure_id, [(noon_ago(2), "17.33")])
    await add_listings(
        committed, minifigure_id, [(noon_ago(0), "21.75")], kind=ListingKind.ASK, source="ebay"
    )
    await add_listings(
        committed,
        minifigure_id,
        [(noon_ago(0, 9), "30.00"), (noon_ago(0, 10), "26.00")],
        kind=ListingKind.ASK,
        source="brickowl",
    )
    await recompute_snapshots(committed, [(minifigure_id, day_ago(2)), (minifigure_id, day_ago(0))])
    await committed.commit()
    return minifigure_id


@pytest.mark.usefixtures("figure")
async def test_the_headline_median_is_the_last_sold_median_never_an_ask(
    gql: GraphQLClient,
) -> None:
    data = await gql.data(
        '{ minifigure(figNum: "sw0004") { latestPrice { median medianDay lastSale lowestAsk } } }'
    )

    assert data["minifigure"]["latestPrice"] == {
        "median": 17.33,
        "medianDay": day_ago(2).isoformat(),
        "lastSale": 17.33,
        "lowestAsk": 21.75,
    }


@pytest.mark.usefixtures("figure")
async def test_a_day_of_asks_only_has_ask_figures_and_no_sold_median(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{ minifigure(figNum: "sw0004") { snapshots(first: 5) { nodes {
               day median min max soldCount lowestAsk askMedian askCount sourcesCount
               bySource { source soldCount askCount median lowestAsk askMedian }
           } } } }"""
    )

    today, sold_day = data["minifigure"]["snapshots"]["nodes"]
    assert today == {
        "day": day_ago(0).isoformat(),
        "median": None,
        "min": None,
        "max": None,
        "soldCount": 0,
        "lowestAsk": 21.75,
        "askMedian": 26.0,
        "askCount": 3,
        "sourcesCount": 2,
        "bySource": [
            {
                "source": "brickowl",
                "soldCount": 0,
                "askCount": 2,
                "median": None,
                "lowestAsk": 26.0,
                "askMedian": 28.0,
            },
            {
                "source": "ebay",
                "soldCount": 0,
                "askCount": 1,
                "median": None,
                "lowestAsk": 21.75,
                "askMedian": 21.75,
            },
        ],
    }
    assert (sold_day["median"], sold_day["lowestAsk"], sold_day["askCount"]) == (17.33, None, 0)
    assert sold_day["bySource"] == [
        {
            "source": "bricklink",
            "soldCount": 1,
            "askCount": 0,
            "median": 17.33,
            "lowestAsk": None,
            "askMedian": None,
        }
    ]
