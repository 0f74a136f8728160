"""Operation limits: linear in the document, before validation, each refusal named."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from graphql import GraphQLSyntaxError, get_introspection_query, parse

from server.app import create_app
from server.graphql.cost import SATURATION, operation_cost
from server.graphql.limits import Limits, document_shape, has_too_many_tokens
from tests.conftest import settings_for
from tests.graphql.conftest import GraphQLClient, StatementCounter

# minifigures > nodes > listings > nodes > minifigure > listings > ...: one level per field.
_PATH = ["listings(first: 1)", "nodes", "minifigure"]


def nested(levels: int) -> str:
    """A query whose deepest field (a `__typename` leaf) sits `levels` levels down."""
    fields = ["minifigures(first: 1)", "nodes"]
    while len(fields) < levels - 1:
        fields.append(_PATH[(len(fields) - 2) % 3])
    fields = fields[: levels - 1]
    return "{ " + " { ".join(fields) + " { __typename" + " }" * len(fields) + " }"


def doubling_fragments(count: int) -> str:
    """The issue's 815-byte attack at n=20: each fragment spreads the next one twice."""
    fragments = " ".join(
        f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(count)
    )
    return f"{{ ...F0 }} {fragments} fragment F{count} on Query {{ version }}"


async def refusal(gql: GraphQLClient, query: str, **variables: Any) -> dict[str, Any]:
    body = await gql.execute(query, **variables)
    assert "data" not in body or body["data"] is None, body
    [error] = body["errors"]
    extensions: dict[str, Any] = error["extensions"]
    extensions["message"] = error["message"]
    return extensions


async def test_depth_12_is_admitted_and_13_refused_naming_the_limit(
    gql: GraphQLClient, statements: StatementCounter
) -> None:
    admitted = await gql.execute(nested(12))
    statements.reset()
    refused = await refusal(gql, nested(13))

    assert "errors" not in admitted, admitted
    assert refused["code"] == "QUERY_TOO_DEEP"
    assert refused["limit"] == 12
    assert "13 levels" in refused["message"]
    assert "12" in refused["message"]
    assert statements.count == 0


async def test_depth_counts_through_fragments(gql: GraphQLClient) -> None:
    inner = nested(13).removeprefix("{ ").removesuffix(" }")
    refused = await refusal(gql, f"{{ ...Deep }} fragment Deep on Query {{ {inner} }}")

    assert refused["code"] == "QUERY_TOO_DEEP"


async def test_aliases_count_every_spread_of_a_fragment(gql: GraphQLClient) -> None:
    aliased = " ".join(f"v{i}: version" for i in range(8))
    spreads = " ".join("...A" for _ in range(4))
    # 8 aliases written once, spread 4 times: 32 aliases, over the limit of 30.
    refused = await refusal(gql, f"{{ {spreads} }} fragment A on Query {{ {aliased} }}")

    assert refused["code"] == "TOO_MANY_ALIASES"
    assert refused["limit"] == 30
    assert "32 aliases" in refused["message"]


async def test_doubling_fragments_are_refused_by_their_cost_without_sql(
    gql: GraphQLClient, statements: StatementCounter
) -> None:
    statements.reset()
    # 2^45 fields once expanded: the old expanding walkers would never finish.
    refused = await refusal(gql, doubling_fragments(45))

    assert refused["code"] == "QUERY_TOO_COSTLY"
    assert refused["limit"] == 50_000
    assert statements.count == 0


def test_measures_stay_finite_for_astronomical_expansions() -> None:
    document = parse(doubling_fragments(200), max_tokens=100_000)

    assert operation_cost(document, None, {}) == SATURATION
    assert document_shape(document).depth == 1


async def test_too_many_tokens_are_refused_while_parsing(gql: GraphQLClient) -> None:
    fields = " ".join("version" for _ in range(1_500))
    refused = await refusal(gql, f"{{ {fields} }}")

    assert refused["code"] == "TOO_MANY_TOKENS"
    assert refused["limit"] == 1_000


# Every kind of token, comments (graphql-core counts them too) and ignored commas.
_LEXICAL_SAMPLES = [
    '{ a(s: "q\\"u\\u00e9", b: """block "" \\""" x""", n: -1.5e3, i: 0, e: ENUM) }',
    "query Q($v: [Int!]! = [1, 2], $o: In = {a: [3]}) @d { x(a: $v) # note, here\n { y } }",
    "\ufeff{ ...F, ... on Q { a }, c: b } fragment F on Q { d } # the end",
    '{ a(x: "") b(x: """""") }',
]


def test_the_token_count_before_parsing_agrees_with_graphql_core() -> None:
    for document in _LEXICAL_SAMPLES:
        for limit in range(1, 60):
            try:
                parse(document, max_tokens=limit)
                refused_by_the_parser = ""
            except GraphQLSyntaxError as error:
                refused_by_the_parser = error.message
            refused_before = has_too_many_tokens(document, Limits(max_tokens=limit))
            assert refused_before == ("tokens" in refused_by_the_parser), refused_by_the_parser


def test_the_token_count_never_refuses_for_what_the_parser_would_not_count() -> None:
    # A stray character stops the count: such a document is left to the parser.
    assert not has_too_many_tokens("{ a ? " + "b " * 20 + "}", Limits(max_tokens=10))
    # An unterminated string is no token at all, however long.
    assert not has_too_many_tokens('{ a(s: "' + "x " * 20 + ") }", Limits(max_tokens=10))


async def test_a_refusal_comes_before_the_credential_check_and_costs_no_sql(
    gql: GraphQLClient, statements: StatementCounter
) -> None:
    # Shaped like an API key, so checking it would look it up in the database.
    key = {"Authorization": "Bearer stk_abcdefghij_" + "s" * 32}
    statements.reset()
    body = await gql.execute(nested(13), headers=key)

    assert [error["extensions"]["code"] for error in body["errors"]] == ["QUERY_TOO_DEEP"]
    assert statements.count == 0


async def test_a_remembered_cost_refusal_is_not_applied_to_requests_with_variables(
    gql: GraphQLClient,
) -> None:
    listings = (
        "listings(first: 100) { nodes { minifigure { listings(first: 100) { nodes { id } } } } }"
    )
    query = f"query($n: Int) {{ minifigures(first: $n) {{ nodes {{ {listings} }} }} }}"

    # Without variables the default page size counts: refused, and the text remembered.
    default = await gql.execute(query)
    # One figure's worth is within the limit.
    small = await gql.execute(query, n=1)

    assert [error["extensions"]["code"] for error in default["errors"]] == ["QUERY_TOO_COSTLY"]
    assert "errors" not in small, small
    assert small["extensions"]["cost"]["requested"] <= 50_000


async def test_documents_over_the_length_limit_are_refused_unparsed(gql: GraphQLClient) -> None:
    refused = await refusal(gql, "{ version }" + "#" * 40_000)

    assert refused["code"] == "QUERY_TOO_LARGE"
    assert refused["limit"] == 32_768


async def test_fragment_and_directive_counts_are_capped(gql: GraphQLClient) -> None:
    fragments = " ".join(f"fragment F{i} on Query {{ version }}" for i in range(51))
    spreads = " ".join(f"...F{i}" for i in range(51))
    directives = " ".join("version @include(if: true)" for _ in range(51))

    too_many_fragments = await refusal(gql, f"{{ {spreads} }} {fragments}")
    too_many_directives = await refusal(gql, f"{{ {directives} }}")

    assert (too_many_fragments["code"], too_many_fragments["limit"]) == ("TOO_MANY_FRAGMENTS", 50)
    assert (too_many_directives["code"], too_many_directives["limit"]) == (
        "TOO_MANY_DIRECTIVES",
        50,
    )


async def test_parse_errors_are_coded_as_such(gql: GraphQLClient) -> None:
    refused = await refusal(gql, "{ version")

    assert refused["code"] == "GRAPHQL_PARSE_FAILED"


async def test_standard_introspection_passes_but_a_fan_out_over_the_schema_does_not(
    gql: GraphQLClient,
) -> None:
    standard = await gql.execute(get_introspection_query(descriptions=True))
    fan_out = await refusal(
        gql, "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    )

    assert "errors" not in standard
    assert standard["data"]["__schema"]["queryType"]["name"] == "Query"
    assert fan_out["code"] == "QUERY_TOO_DEEP"


@pytest.fixture
async def strict_gql(database_url: str, redis_url: str) -> AsyncIterator[GraphQLClient]:
    settings = settings_for(database_url, redis_url, query_max_depth=3, query_max_cost=5)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        yield GraphQLClient(client)


async def test_limits_follow_the_settings(strict_gql: GraphQLClient) -> None:
    deep = await refusal(strict_gql, nested(4))
    costly = await refusal(
        strict_gql, "{ a: version b: version c: version d: version e: version f: version }"
    )
    cheap = await strict_gql.execute("{ version }")

    assert (deep["code"], deep["limit"]) == ("QUERY_TOO_DEEP", 3)
    assert (costly["code"], costly["limit"]) == ("QUERY_TOO_COSTLY", 5)
    assert cheap["extensions"]["cost"] == {"requested": 1, "maximum": 5}
