"""The query cost estimate: reported on every response, enforced before any SQL runs."""

from __future__ import annotations

from tests.graphql.conftest import GraphQLClient, StatementCounter

NESTED = """query($outer: Int!, $inner: Int!) {
  minifigures(first: $outer) {
    edges { node { figNum listings(first: $inner) { edges { node { price } } } } }
  }
}"""


async def test_cost_grows_with_page_sizes_and_is_reported(gql: GraphQLClient) -> None:
    small = await gql.execute(NESTED, outer=2, inner=2)
    large = await gql.execute(NESTED, outer=20, inner=20)

    # minifigures(1) + page * (edges(1) + node(1) + figNum(1) + listings(1 + page * 3)).
    assert small["extensions"]["cost"] == {"requested": 1 + 2 * (4 + 2 * 3), "maximum": 50000}
    assert large["extensions"]["cost"]["requested"] == 1 + 20 * (4 + 20 * 3)


async def test_fragments_count_like_inline_selections(gql: GraphQLClient) -> None:
    inline = await gql.execute("{ minifigures(first: 5) { nodes { figNum name } } }")
    spread = await gql.execute(
        "query { minifigures(first: 5) { nodes { ...F } } } "
        "fragment F on Minifigure { figNum name }"
    )

    assert inline["extensions"]["cost"] == spread["extensions"]["cost"]


async def test_a_query_that_could_fan_out_is_refused_before_any_sql(
    gql: GraphQLClient, statements: StatementCounter
) -> None:
    fan_out = """{ minifigures(first: 100) { nodes {
        listings(first: 100) { nodes { minifigure { listings(first: 100) { nodes { price } } } } }
    } } }"""

    statements.reset()
    body = await gql.execute(fan_out)

    assert "data" not in body  # a request error: nothing executed
    [error] = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert body["extensions"]["cost"]["requested"] > 1_000_000
    assert statements.count == 0
