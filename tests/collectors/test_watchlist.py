"""The watchlist: add and remove with every kind of credential, prices without N+1."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from server.graphql.node import to_global_id
from tests.collectors.conftest import as_user, sign_up
from tests.graphql.conftest import GraphQLClient, StatementCounter
from tests.graphql.market_data import add_figures, add_listings, add_medians, noon_ago

ADD = """mutation($id: ID!, $condition: Condition!) {
  addToWatchlist(input: {minifigureId: $id, condition: $condition}) {
    __typename
    ... on AddToWatchlistSuccess { item { condition minifigure { figNum } } }
    ... on MutationError { code field }
  }
}"""

REMOVE = """mutation($id: ID!, $condition: Condition!) {
  removeFromWatchlist(input: {minifigureId: $id, condition: $condition}) {
    __typename
    ... on MutationError { code field }
  }
}"""

WATCHLIST = """{ viewer { watchlist {
  condition minifigure { figNum name }
  lastSalePrice lastSaleAt change7dPct change30dPct
} } }"""

CREATE_KEY = """mutation($scopes: [Scope!]!) {
  createApiKey(input: {name: "k", scopes: $scopes}) { ... on CreateApiKeySuccess { secret } }
}"""


async def _figures(committed: AsyncSession, count: int) -> dict[str, str]:
    ids = await add_figures(
        committed, *[{"fig_num": f"wl{i:04d}", "name": f"Watched {i}"} for i in range(count)]
    )
    for minifigure_id in ids.values():
        await add_medians(committed, minifigure_id, {0: "12.00", 6: "10.00", 29: "8.00"})
        await add_listings(
            committed, minifigure_id, [(noon_ago(3), "9.00"), (noon_ago(1), "11.50")]
        )
    await committed.commit()
    return {fig_num: to_global_id("Minifigure", i) for fig_num, i in ids.items()}


async def test_the_watchlist_shows_last_sale_and_changes_in_one_statement(
    gql: GraphQLClient, committed: AsyncSession, statements: StatementCounter
) -> None:
    figures = await _figures(committed, 30)
    few, many = await sign_up(gql), await sign_up(gql)
    for fig_num in list(figures)[:3]:
        await as_user(gql, few.headers, ADD, id=figures[fig_num], condition="USED")
    for global_id in figures.values():
        await as_user(gql, many.headers, ADD, id=global_id, condition="USED")

    statements.reset()
    small = (await as_user(gql, few.headers, WATCHLIST))["viewer"]["watchlist"]
    small_count = statements.count
    statements.reset()
    large = (await as_user(gql, many.headers, WATCHLIST))["viewer"]["watchlist"]

    assert len(small) == 3
    assert len(large) == 30
    assert large[0]["lastSalePrice"] == 11.5
    assert large[0]["change7dPct"] == 20.0  # 10.00 six days ago -> 12.00 today
    assert large[0]["change30dPct"] == 50.0  # 8.00 29 days ago -> 12.00
    # The whole watchlist with figures, last sales and changes: one statement.
    assert (small_count, statements.count) == (1, 1)


async def test_watchlist_mutations_with_no_wrong_and_right_credentials(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    figure = (await _figures(committed, 1))["wl0000"]
    owner, other = await sign_up(gql), await sign_up(gql)
    read_only = (await as_user(gql, owner.headers, CREATE_KEY, scopes=["READ"]))["createApiKey"]
    bearer = {"Authorization": f"Bearer {read_only['secret']}"}

    anonymous = (await gql.data(ADD, id=figure, condition="USED"))["addToWatchlist"]
    wrong = (
        await as_user(gql, {"Authorization": "Bearer nope"}, ADD, id=figure, condition="USED")
    )["addToWatchlist"]
    no_scope = (await as_user(gql, bearer, ADD, id=figure, condition="USED"))["addToWatchlist"]
    assert anonymous["code"] == "UNAUTHENTICATED"
    assert wrong["code"] == "INVALID_CREDENTIALS"
    assert no_scope["code"] == "FORBIDDEN"

    added = (await as_user(gql, owner.headers, ADD, id=figure, condition="NEW"))["addToWatchlist"]
    again = (await as_user(gql, owner.headers, ADD, id=figure, condition="NEW"))["addToWatchlist"]
    unknown = (
        await as_user(
            gql,
            owner.headers,
            ADD,
            id=to_global_id("Minifigure", "0" * 8 + "-0000-0000-0000-" + "0" * 12),
            condition="NEW",
        )
    )["addToWatchlist"]
    assert added["item"] == {"condition": "NEW", "minifigure": {"figNum": "wl0000"}}
    assert again["item"] == added["item"]
    assert (unknown["code"], unknown["field"]) == ("NOT_FOUND", "minifigureId")
    # Read with the READ key: one item, though added twice; the other user sees none of it.
    listed = (await as_user(gql, bearer, WATCHLIST))["viewer"]["watchlist"]
    assert [item["condition"] for item in listed] == ["NEW"]
    assert (await as_user(gql, other.headers, WATCHLIST))["viewer"]["watchlist"] == []

    not_theirs = (await as_user(gql, other.headers, REMOVE, id=figure, condition="NEW"))[
        "removeFromWatchlist"
    ]
    assert not_theirs["code"] == "NOT_FOUND"
    removed = (await as_user(gql, owner.headers, REMOVE, id=figure, condition="NEW"))[
        "removeFromWatchlist"
    ]
    assert removed == {"__typename": "RemoveFromWatchlistSuccess"}
    assert (await as_user(gql, owner.headers, WATCHLIST))["viewer"]["watchlist"] == []


async def test_node_finds_your_own_watchlist_item_and_api_key_only(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    figure = (await _figures(committed, 1))["wl0000"]
    owner, other = await sign_up(gql), await sign_up(gql)
    await as_user(gql, owner.headers, ADD, id=figure, condition="USED")
    item_id = (await as_user(gql, owner.headers, "{ viewer { watchlist { id } } }"))["viewer"][
        "watchlist"
    ][0]["id"]
    await as_user(gql, owner.headers, CREATE_KEY, scopes=["READ"])
    key_id = (await as_user(gql, owner.headers, "{ viewer { apiKeys { id } } }"))["viewer"][
        "apiKeys"
    ][0]["id"]
    node = "query($id: ID!) { node(id: $id) { __typename id } }"

    for global_id, type_name in ((item_id, "WatchlistItem"), (key_id, "ApiKey")):
        mine = (await as_user(gql, owner.headers, node, id=global_id))["node"]
        theirs = (await as_user(gql, other.headers, node, id=global_id))["node"]
        assert mine == {"__typename": type_name, "id": global_id}
        assert theirs is None
