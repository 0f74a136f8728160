"""The `minifigures` connection: keyset pages both ways, filters, orderings, errors."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tests.graphql.conftest import GraphQLClient
from tests.graphql.market_data import add_figures, add_listings, add_medians, noon_ago

PAGE = """
query($first: Int, $after: String, $last: Int, $before: String,
      $filter: MinifigureFilter, $orderBy: MinifigureOrder) {
  minifigures(first: $first, after: $after, last: $last, before: $before,
              filter: $filter, orderBy: $orderBy) {
    totalCount
    edges { cursor node { figNum name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


async def _page(gql: GraphQLClient, **variables: Any) -> dict[str, Any]:
    data = await gql.data(PAGE, **variables)
    page: dict[str, Any] = data["minifigures"]
    return page


def _figs(page: dict[str, Any]) -> list[str]:
    return [edge["node"]["figNum"] for edge in page["edges"]]


async def _walk_forward(gql: GraphQLClient, size: int, **variables: Any) -> list[str]:
    seen: list[str] = []
    after = None
    while True:
        page = await _page(gql, first=size, after=after, **variables)
        seen += _figs(page)
        if not page["pageInfo"]["hasNextPage"]:
            return seen
        after = page["pageInfo"]["endCursor"]


async def _walk_backward(gql: GraphQLClient, size: int, **variables: Any) -> list[str]:
    seen: list[str] = []
    before = None
    while True:
        page = await _page(gql, last=size, before=before, **variables)
        seen = _figs(page) + seen
        if not page["pageInfo"]["hasPreviousPage"]:
            return seen
        before = page["pageInfo"]["startCursor"]


async def _ties(committed: AsyncSession) -> dict[str, Any]:
    """Seven figures, five of them sharing a name, three sharing a year, two without one."""
    ids = await add_figures(
        committed,
        *[
            {"fig_num": f"tie{i:03d}", "name": "Clone Trooper", "year_released": 2005}
            for i in range(5)
        ],
        {"fig_num": "sw0001a", "name": "Luke Skywalker", "year_released": None},
        {"fig_num": "cas001", "name": "Castle Guard", "theme": "Castle", "year_released": None},
    )
    await committed.commit()
    return ids


async def test_pages_forward_and_backward_cover_every_row_once_despite_ties(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    ids = await _ties(committed)
    # Prices with a tie, and figures without any (NULL keys sort last).
    for fig_num, medians in (
        ("tie000", {2: "40.00", 0: "50.00"}),
        ("tie001", {3: "40.00", 1: "50.00"}),
        ("sw0001a", {1: "30.00"}),
    ):
        await add_medians(committed, ids[fig_num], medians)
    await committed.commit()

    for order in (
        {"field": "NAME"},
        {"field": "NAME", "direction": "DESC"},
        {"field": "YEAR"},
        {"field": "YEAR", "direction": "DESC"},
        {"field": "FIG_NUM", "direction": "DESC"},
        {"field": "PRICE"},
        {"field": "PRICE", "direction": "DESC"},
        {"field": "CHANGE_7D", "direction": "DESC"},
    ):
        everything = _figs(await _page(gql, first=100, orderBy=order))
        assert len(everything) == 7
        assert await _walk_forward(gql, 2, orderBy=order) == everything, order
        assert await _walk_backward(gql, 2, orderBy=order) == everything, order


async def test_orderings_sort_by_their_key_with_nulls_last(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    ids = await _ties(committed)
    await add_medians(committed, ids["sw0001a"], {0: "30.00", 6: "20.00"})
    await add_medians(committed, ids["cas001"], {1: "12.00", 3: "6.00"})
    await add_medians(committed, ids["tie000"], {2: "50.00"})
    await committed.commit()

    by_name = _figs(await _page(gql, first=100, orderBy={"field": "NAME"}))
    by_year = _figs(await _page(gql, first=100, orderBy={"field": "YEAR", "direction": "DESC"}))
    by_price = _figs(await _page(gql, first=3, orderBy={"field": "PRICE", "direction": "DESC"}))
    by_change = _figs(
        await _page(gql, first=3, orderBy={"field": "CHANGE_7D", "direction": "DESC"})
    )

    assert by_name[0] == "cas001"
    assert by_name[-1] == "sw0001a"
    assert set(by_name[1:6]) == {f"tie{i:03d}" for i in range(5)}
    assert set(by_year[:5]) == {f"tie{i:03d}" for i in range(5)}
    assert by_price == ["tie000", "sw0001a", "cas001"]
    # cas001: 6 -> 12 (+100%), sw0001a: 20 -> 30 (+50%); tie000 has one day only: no change.
    assert by_change[:2] == ["cas001", "sw0001a"]


async def test_filters_narrow_the_list_and_the_total(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    ids = await _ties(committed)
    await add_listings(committed, ids["sw0001a"], [(noon_ago(1), "10.00")])
    await add_listings(committed, ids["cas001"], [(noon_ago(1), "10.00")], excluded_reason="lot")
    await committed.commit()

    castle = await _page(gql, filter={"themes": ["Castle"]})
    year = await _page(gql, filter={"years": [2005], "themes": ["Star Wars"]})
    priced = await _page(gql, filter={"hasPrice": True})
    unpriced = await _page(gql, filter={"hasPrice": False})

    assert (_figs(castle), castle["totalCount"]) == (["cas001"], 1)
    assert year["totalCount"] == 5
    # An excluded observation does not make a price.
    assert _figs(priced) == ["sw0001a"]
    assert unpriced["totalCount"] == 6


async def test_search_tolerates_typos_and_ranks_the_best_match_first(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    await _ties(committed)

    typo = await _page(gql, filter={"search": "skywlker"})
    words = await _page(gql, filter={"search": "clone trooper"})
    fig_num = await _page(gql, filter={"search": "SW0001"})
    nothing = await _page(gql, filter={"search": "zzzzqqq"})

    assert _figs(typo) == ["sw0001a"]
    assert words["totalCount"] == 5
    assert _figs(fig_num) == ["sw0001a"]
    assert nothing == {
        "totalCount": 0,
        "edges": [],
        "pageInfo": {
            "hasNextPage": False,
            "hasPreviousPage": False,
            "startCursor": None,
            "endCursor": None,
        },
    }


async def test_search_results_page_by_relevance(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    await _ties(committed)
    variables = {"filter": {"search": "trooper"}}

    everything = _figs(await _page(gql, first=100, **variables))

    assert len(everything) == 5
    assert await _walk_forward(gql, 2, **variables) == everything
    assert await _walk_backward(gql, 2, **variables) == everything


async def test_bad_page_arguments_are_client_errors(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    await _ties(committed)
    name_cursor = (await _page(gql, first=1))["pageInfo"]["endCursor"]

    assert await gql.error_codes(PAGE, first=101) == ["INVALID_PAGE_SIZE"]
    assert await gql.error_codes(PAGE, first=-1) == ["INVALID_PAGE_SIZE"]
    assert await gql.error_codes(PAGE, after="not-a-cursor") == ["INVALID_CURSOR"]
    assert await gql.error_codes(PAGE, after=name_cursor, orderBy={"field": "YEAR"}) == [
        "INVALID_CURSOR"
    ]
    assert await gql.error_codes(PAGE, first=2, last=2) == ["INVALID_ARGUMENTS"]
    assert await gql.error_codes(PAGE, orderBy={"field": "RELEVANCE"}) == ["INVALID_ARGUMENTS"]


async def test_themes_are_counted(gql: GraphQLClient, committed: AsyncSession) -> None:
    await _ties(committed)

    data = await gql.data("{ themes { name count } }")

    assert data["themes"] == [{"name": "Star Wars", "count": 6}, {"name": "Castle", "count": 1}]
