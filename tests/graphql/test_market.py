"""Movers and the market index."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from tests.graphql.conftest import GraphQLClient, StatementCounter
from tests.graphql.market_data import add_figures, add_medians, day_ago, today

MOVERS = """query($direction: MoverDirection!, $window: StatsWindow!, $min: Int!) {
  movers(direction: $direction, window: $window, first: 10, minSampleSize: $min) {
    minifigure { figNum } changePct fromPrice toPrice fromDay toDay sampleSize
  }
}"""


async def test_movers_rank_by_change_and_leave_out_thin_data(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    ids = await add_figures(committed, *[{"fig_num": f"fig{i}"} for i in range(5)])
    await add_medians(committed, ids["fig0"], {6: "10.00", 0: "15.00"}, sold_count=3)  # +50%
    await add_medians(committed, ids["fig1"], {5: "10.00", 1: "12.00"}, sold_count=3)  # +20%
    await add_medians(committed, ids["fig2"], {6: "10.00", 0: "30.00"}, sold_count=1)  # thin
    await add_medians(committed, ids["fig3"], {6: "20.00", 0: "15.00"}, sold_count=5)  # -25%
    # Outside the 7-day window, inside 30 days.
    await add_medians(committed, ids["fig4"], {20: "10.00", 10: "40.00"}, sold_count=5)
    await committed.commit()

    gainers = (await gql.data(MOVERS, direction="GAINERS", window="D7", min=5))["movers"]
    losers = (await gql.data(MOVERS, direction="LOSERS", window="D7", min=5))["movers"]
    month = (await gql.data(MOVERS, direction="GAINERS", window="D30", min=5))["movers"]
    everyone = (await gql.data(MOVERS, direction="GAINERS", window="D7", min=1))["movers"]

    assert gainers == [
        {
            "minifigure": {"figNum": "fig0"},
            "changePct": 50.0,
            "fromPrice": 10.0,
            "toPrice": 15.0,
            "fromDay": day_ago(6).isoformat(),
            "toDay": today().isoformat(),
            "sampleSize": 6,
        },
        {
            "minifigure": {"figNum": "fig1"},
            "changePct": 20.0,
            "fromPrice": 10.0,
            "toPrice": 12.0,
            "fromDay": day_ago(5).isoformat(),
            "toDay": day_ago(1).isoformat(),
            "sampleSize": 6,
        },
    ]
    assert [(m["minifigure"]["figNum"], m["changePct"]) for m in losers] == [("fig3", -25.0)]
    assert [m["minifigure"]["figNum"] for m in month] == ["fig4", "fig0", "fig1"]
    assert [m["minifigure"]["figNum"] for m in everyone] == ["fig2", "fig0", "fig1"]
    assert await gql.error_codes("{ movers(first: 1000) { changePct } }") == ["INVALID_PAGE_SIZE"]


INDEX = """query($theme: String, $from: Date!, $to: Date!) {
  marketIndex(theme: $theme, interval: DAY, from: $from, to: $to) { start value constituents }
}"""


async def test_market_index_chains_equal_weighted_links(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    ids = await add_figures(
        committed,
        {"fig_num": "sw1", "theme": "Star Wars"},
        {"fig_num": "sw2", "theme": "Star Wars"},
        {"fig_num": "cas1", "theme": "Castle"},
    )
    # Day 3 -> 2: sw1 +10%, sw2 -10%, cas1 +50%; day 2 -> 1: sw1 only, +10%.
    await add_medians(committed, ids["sw1"], {3: "100.00", 2: "110.00", 1: "121.00"})
    await add_medians(committed, ids["sw2"], {3: "50.00", 2: "45.00"})
    await add_medians(committed, ids["cas1"], {3: "10.00", 2: "15.00"})
    await committed.commit()
    window = {"from": day_ago(3).isoformat(), "to": day_ago(1).isoformat()}

    overall = (await gql.data(INDEX, theme=None, **window))["marketIndex"]
    star_wars = (await gql.data(INDEX, theme="Star Wars", **window))["marketIndex"]

    days = [day_ago(d).isoformat() for d in (3, 2, 1)]
    # Overall link on day 2: mean(1.1, 0.9, 1.5) = 1.1667; day 1: 1.1.
    assert overall == [
        {"start": days[0], "value": 100.0, "constituents": 3},
        {"start": days[1], "value": 116.67, "constituents": 3},
        {"start": days[2], "value": 128.33, "constituents": 1},
    ]
    assert star_wars == [
        {"start": days[0], "value": 100.0, "constituents": 2},
        {"start": days[1], "value": 100.0, "constituents": 2},
        {"start": days[2], "value": 110.0, "constituents": 1},
    ]
    backwards = {"from": today().isoformat(), "to": (today() - timedelta(days=5)).isoformat()}
    assert await gql.error_codes(INDEX, theme=None, **backwards) == ["INVALID_RANGE"]


async def test_movers_cost_two_statements_however_many(
    gql: GraphQLClient, committed: AsyncSession, statements: StatementCounter
) -> None:
    ids = await add_figures(committed, *[{"fig_num": f"fig{i:02d}"} for i in range(30)])
    for i, minifigure_id in enumerate(ids.values()):
        await add_medians(committed, minifigure_id, {6: "10.00", 0: f"{11 + i}.00"}, sold_count=5)
    await committed.commit()
    query = "query($n: Int!) { movers(first: $n) { changePct minifigure { figNum name } } }"

    counts = []
    for first in (3, 30):
        statements.reset()
        data = await gql.data(query, n=first)
        assert len(data["movers"]) == first
        counts.append(statements.count)

    # The movers, then their catalog rows at once.
    assert counts == [2, 2]
