"""The `deals` query against a hand-built market (tests/deals_market.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from server.graphql.pagination import encode_cursor
from tests.deals_market import build_market
from tests.graphql.conftest import GraphQLClient, StatementCounter

DEALS = """query($min: Float!, $condition: Condition, $themes: [String!], $first: Int,
             $after: String) {
  deals(minDiscountPct: $min, condition: $condition, themes: $themes, first: $first,
        after: $after) {
    edges { cursor node {
      minifigure { figNum } condition ask soldMedian discountPct url
      listing { source externalId }
      spread { source asks lowest highest }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""


def _summary(data: dict[str, Any]) -> list[tuple[str, str, float, float, float, str]]:
    return [
        (
            e["node"]["minifigure"]["figNum"],
            e["node"]["condition"],
            e["node"]["ask"],
            e["node"]["soldMedian"],
            e["node"]["discountPct"],
            e["node"]["listing"]["externalId"],
        )
        for e in data["deals"]["edges"]
    ]


async def test_deals_at_the_boundary_each_against_its_own_condition(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    await build_market(committed)

    data = await gql.data(DEALS, min=20)

    found = _summary(data)
    # Ties (50 %) go newest listing first; 8.00 is exactly 20 % under and qualifies,
    # 8.01 does not; the USED 12.00 is no deal against the USED median.
    assert [row[:5] for row in found] == [
        ("dl0001", "USED", 4.0, 10.0, 60.0),
        ("dl0003", "USED", 20.0, 40.0, 50.0),
        ("dl0001", "USED", 5.0, 10.0, 50.0),
        ("dl0001", "NEW", 20.0, 30.0, 33.33),
        ("dl0001", "USED", 7.0, 10.0, 30.0),
        ("dl0001", "USED", 8.0, 10.0, 20.0),
    ]
    assert {row[5] for row in found}.isdisjoint({"v1|2|0", "v1|3|0", "v1|4|0", "v1|5|0"})

    just_over = await gql.data(DEALS, min=20.01)
    assert [row[5] for row in _summary(just_over)][-1] == "bl-1"
    used = await gql.data(DEALS, min=20, condition="USED")
    assert [row[1] for row in _summary(used)] == ["USED"] * 5
    castle = await gql.data(DEALS, min=0, themes=["Castle"])
    assert [row[0] for row in _summary(castle)] == ["dl0003"]


async def test_each_deal_links_its_offer_and_spreads_the_asks_across_sources(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    await build_market(committed)

    nodes = {
        e["node"]["listing"]["externalId"]: e["node"]
        for e in (await gql.data(DEALS, min=10, condition="USED"))["deals"]["edges"]
    }

    assert nodes["owl-1"]["url"] == "https://www.brickowl.com/store/brick-harbor/deal-figure"
    assert nodes["v1|1|0"]["url"] == "https://www.ebay.com/itm/1"
    assert nodes["bl-1"]["url"] is None  # BrickLink's price guide has no page per offer
    # The offer last seen at 9.50 (5 % under) is no 10 % deal: its 6.00 sighting is past.
    assert "v1|3|0" not in nodes
    # Counted current asks, each offer once at its latest sighting, cheapest source first.
    # (The outlier at 4.00 is a real offer; the lot and the stale ask are not current.)
    assert nodes["owl-1"]["spread"] == [
        {"source": "ebay", "asks": 5, "lowest": 4.0, "highest": 12.0},
        {"source": "brickowl", "asks": 1, "lowest": 5.0, "highest": 5.0},
        {"source": "bricklink", "asks": 1, "lowest": 7.0, "highest": 7.0},
    ]


async def test_a_javascript_url_from_a_payload_is_never_a_link(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    await build_market(committed)

    nodes = (await gql.data(DEALS, min=19))["deals"]["edges"]

    by_id = {e["node"]["listing"]["externalId"]: e["node"] for e in nodes}
    assert by_id["v1|2|0"]["url"] is None


async def test_pages_follow_one_another_without_gaps_or_repeats(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    await build_market(committed)
    everything = _summary(await gql.data(DEALS, min=20, first=100))

    seen: list[tuple[str, str, float, float, float, str]] = []
    after = None
    pages = 0
    while True:
        page = (await gql.data(DEALS, min=20, first=2, after=after))["deals"]
        seen.extend(_summary({"deals": page}))
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert pages == 3
    assert seen == everything
    assert len(everything) == 6


async def test_bad_arguments_get_codes(gql: GraphQLClient, committed: AsyncSession) -> None:
    assert await gql.error_codes(DEALS, min=-1) == ["INVALID_DISCOUNT"]
    assert await gql.error_codes(DEALS, min=100.5) == ["INVALID_DISCOUNT"]
    assert await gql.error_codes(DEALS, min=20, first=101) == ["INVALID_PAGE_SIZE"]
    assert await gql.error_codes(DEALS, min=20, after="bm90IGEgY3Vyc29y") == ["INVALID_CURSOR"]
    assert await gql.error_codes(DEALS, min=20, themes=["x"] * 51) == ["INVALID_ARGUMENTS"]
    for tampered in (("NaN", 5), ("twenty", 5), ("20", -3), ("20", "5")):
        cursor = encode_cursor("deal", *tampered)
        assert await gql.error_codes(DEALS, min=20, after=cursor) == ["INVALID_CURSOR"]


async def test_the_statement_count_does_not_follow_the_page_size(
    gql: GraphQLClient, committed: AsyncSession, statements: StatementCounter
) -> None:
    await build_market(committed)

    statements.reset()
    small = await gql.data(DEALS, min=0, first=1)
    one = statements.count
    statements.reset()
    large = await gql.data(DEALS, min=0, first=50)
    many = statements.count

    assert len(small["deals"]["edges"]) == 1
    assert len(large["deals"]["edges"]) == 8
    # The deals, their minifigures, their spreads.
    assert (one, many) == (3, 3)
