"""Price histories completed in one pass (server/graphql/series.py) answer exactly as the
ordinary, field-by-field completion does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.graphql.conftest import GraphQLClient
from tests.graphql.market_data import add_figures, add_listings, add_medians

START = datetime(2026, 1, 5, 9, tzinfo=UTC)
FIELDS = "start open high low close median volume trades"


async def _seed(committed: AsyncSession) -> None:
    ids = await add_figures(committed, {"fig_num": "sw0001a"})
    prices = [
        (START + timedelta(days=day, hours=hour), f"{10 + day + hour / 4:.2f}")
        for day in range(40)
        for hour in range(3)
    ]
    await add_listings(committed, ids["sw0001a"], prices)
    await committed.commit()


def _history(selection: str) -> str:
    return f"""query($skip: Boolean = false) {{ minifigure(figNum: "sw0001a") {{
      priceHistory(from: "2026-01-01T00:00:00Z", to: "2026-03-01T00:00:00Z") {{ {selection} }}
    }} }}"""


async def test_the_one_pass_answers_as_the_ordinary_completion(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    await _seed(committed)

    fast = await gql.data(_history(f"{FIELDS} ...on Candle @skip(if: $skip) {{ start }}"))
    # A field the one-pass readers decline (an unknown currency is an error the
    # ordinary path reports per field) sends the whole list down the ordinary path.
    body = await gql.execute(_history(f'{FIELDS} other: open(currency: "XYZ") @skip(if: $skip)'))

    assert body.get("data"), body
    ordinary = body["data"]["minifigure"]["priceHistory"]
    candles = fast["minifigure"]["priceHistory"]
    assert len(candles) == 40
    assert candles == [{k: v for k, v in c.items() if k != "other"} for c in ordinary]
    assert candles[0] == {
        "start": "2026-01-05T00:00:00+00:00",
        "open": 10.0,
        "high": 10.5,
        "low": 10.0,
        "close": 10.5,
        "median": 10.25,
        "volume": 3,
        "trades": 3,
    }
    assert {e["extensions"]["code"] for e in body["errors"]} == {"UNKNOWN_CURRENCY"}
    assert body["errors"][0]["path"] == ["minifigure", "priceHistory", 0, "other"]


async def test_aliases_fragments_typename_and_skip_in_one_pass(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    await _seed(committed)

    data = await gql.data(
        _history(
            '__typename day: start last: close(currency: "usd") '
            "...on Candle { high } low @skip(if: $skip) "
            "volume @include(if: $skip) trades @include(if: $skip)"
        ),
        skip=True,
    )

    assert data["minifigure"]["priceHistory"][-1] == {
        "__typename": "Candle",
        "day": "2026-02-13T00:00:00+00:00",
        "last": 49.5,
        "high": 49.5,
        "volume": 3,
        "trades": 3,
    }


PAGES = """query($skip: Boolean = false) { minifigure(figNum: "sw0001a") {
  snapshots(first: 5) { edges { cursor node { day condition median soldCount } } }
  listings(first: 4) { edges { cursor node {
    id price shipping observedAt kind condition source
    figure: minifigure @include(if: $skip) { figNum } } } }
} }"""


async def test_connection_pages_in_one_pass_answer_as_the_ordinary_completion(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    await _seed(committed)
    figure_id = (await committed.execute(text("SELECT id FROM minifigures"))).scalar_one()
    await add_medians(committed, figure_id, {d: f"{10 + d}.00" for d in range(7)})
    await committed.commit()

    fast = (await gql.data(PAGES))["minifigure"]
    # Selecting the listing's minifigure (no reader) completes the pages the ordinary way.
    ordinary = (await gql.data(PAGES, skip=True))["minifigure"]

    for edge in ordinary["listings"]["edges"]:
        assert edge["node"].pop("figure") == {"figNum": "sw0001a"}
    assert fast == ordinary
    listings = fast["listings"]["edges"]
    assert [e["node"]["price"] for e in listings] == [49.5, 49.25, 49.0, 48.5]
    assert listings[0]["node"]["kind"] == "SOLD"
    assert listings[0]["node"]["id"].startswith("TGlzdGluZz")
    snapshots = fast["snapshots"]["edges"]
    assert [e["node"]["median"] for e in snapshots] == [10.0, 11.0, 12.0, 13.0, 14.0]
