"""Bad input gets a documented code, never INTERNAL_SERVER_ERROR, and no ERROR log."""

from __future__ import annotations

import base64
import logging
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from server.graphql.node import to_global_id
from server.graphql.pagination import encode_cursor
from server.graphql.types.catalog import _cursor_kind
from server.store.catalog import upsert_minifigures
from server.store.catalog_queries import CatalogOrder, CatalogSort
from tests.factories import catalog_entry


async def codes(client: httpx.AsyncClient, query: str, **variables: Any) -> list[str]:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def raw_cursor(payload: str) -> str:
    return base64.urlsafe_b64encode(payload.encode()).decode()


PAGE = "query($after: String) { minifigures(first: 1, after: $after) { totalCount } }"
PRICE_PAGE = (
    "query($after: String) { minifigures(first: 1, after: $after, "
    "orderBy: {field: PRICE}) { totalCount } }"
)


async def test_variables_of_the_wrong_type_are_invalid_variables_and_not_logged(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        wrong_type = await codes(
            client, "query($n: Int) { minifigures(first: $n) { totalCount } }", n="ten"
        )
        missing = await codes(client, "query($n: Int!) { minifigures(first: $n) { totalCount } }")
        bad_date = await codes(
            client, "query($d: Date) { marketIndex(from: $d) { start } }", d="2024-13-45"
        )

    assert wrong_type == ["INVALID_VARIABLES"]
    assert missing == ["INVALID_VARIABLES"]
    assert bad_date == ["INVALID_VARIABLES"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_bad_literal_values_are_validation_errors(client: httpx.AsyncClient) -> None:
    assert await codes(client, '{ marketIndex(from: "tomorrow") { start } }') == [
        "GRAPHQL_VALIDATION_FAILED"
    ]


async def test_nul_characters_are_refused_in_variables_and_literals(
    client: httpx.AsyncClient,
) -> None:
    search = "query($s: String) { minifigures(filter: {search: $s}) { totalCount } }"
    in_variable = await codes(client, search, s="luke\x00")
    in_literal = await codes(
        client, '{ minifigures(filter: {themes: ["Star\\u0000Wars"]}) { totalCount } }'
    )
    in_source = await codes(
        client, "query($s: String) { syncRuns(source: $s) { nodes { id } } }", s="\x00"
    )

    assert in_variable == ["INVALID_VARIABLES"]
    assert in_literal == ["INVALID_ARGUMENTS"]
    assert in_source == ["INVALID_VARIABLES"]


@pytest.mark.parametrize(
    "local_id", ["Listing:99999999999999999999999", "Listing:²", "SyncRun:-1", "SyncRun:0x1"]
)
async def test_ids_that_cannot_name_a_row_are_invalid_ids(
    client: httpx.AsyncClient, local_id: str
) -> None:
    global_id = base64.urlsafe_b64encode(local_id.encode()).decode()
    query = "query($id: ID!) { node(id: $id) { id } }"

    assert await codes(client, query, id=global_id) == ["INVALID_ID"]


@pytest.mark.parametrize(
    "cursor",
    [
        raw_cursor('["syncRun", true]'),
        raw_cursor('["syncRun", 99999999999999999999999]'),
        raw_cursor('["syncRun", "12"]'),
        raw_cursor("[" * 5000 + "]" * 5000),
    ],
)
async def test_tampered_sync_run_cursors_are_invalid_cursors(
    client: httpx.AsyncClient, cursor: str
) -> None:
    query = "query($after: String) { syncRuns(after: $after) { nodes { id } } }"

    assert await codes(client, query, after=cursor) == ["INVALID_CURSOR"]


@pytest.mark.parametrize("key", ["1e999999999", "NaN", "Infinity", True, ["1"]])
async def test_tampered_price_cursors_are_invalid_cursors(
    client: httpx.AsyncClient, key: object
) -> None:
    kind = _cursor_kind(CatalogOrder(sort=CatalogSort.PRICE))
    cursor = encode_cursor(kind, key, "00000000-0000-0000-0000-000000000001")

    assert await codes(client, PRICE_PAGE, after=cursor) == ["INVALID_CURSOR"]


@pytest.mark.parametrize(
    "arguments",
    [
        'from: "9999-12-01"',
        'to: "9999-12-31"',
        'from: "0001-01-01", to: "0001-01-02"',
    ],
)
async def test_days_near_the_ends_of_the_calendar_are_invalid_ranges(
    client: httpx.AsyncClient, arguments: str
) -> None:
    assert await codes(client, f"{{ marketIndex({arguments}) {{ start }} }}") == ["INVALID_RANGE"]


async def test_extreme_moments_and_tampered_listing_cursors_are_refused(
    client: httpx.AsyncClient, committed: AsyncSession
) -> None:
    await upsert_minifigures(committed, [catalog_entry()])
    await committed.commit()
    listings = (
        'query($to: DateTime, $after: String) { minifigure(figNum: "sw0001a") { '
        "listings(to: $to, after: $after) { nodes { id } } priceHistory(to: $to) { start } } }"
    )

    extreme = await codes(client, listings, to="0001-01-01T00:00:00+14:00")
    far = await codes(client, listings, to="9999-12-31T23:59:59-14:00")
    naive = await codes(client, listings, after=encode_cursor("listing", "2024-01-01T00:00:00", 1))
    huge_id = await codes(
        client, listings, after=encode_cursor("listing", "2024-01-01T00:00:00+00:00", 2**64)
    )

    assert set(extreme) == {"INVALID_RANGE"}
    assert set(far) == {"INVALID_RANGE"}
    assert naive == ["INVALID_CURSOR"]
    assert huge_id == ["INVALID_CURSOR"]


async def test_a_subscription_over_http_is_a_bad_request(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "subscription { priceTicks { eventId } }"}
    )

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "WebSocket" in error["message"]


async def test_delete_checks_the_key_before_the_id(client: httpx.AsyncClient) -> None:
    query = "mutation($id: ID!) { deleteMinifigure(id: $id) { ... on MutationError { code } } }"
    missing = to_global_id("Minifigure", "00000000-0000-0000-0000-000000000001")

    for global_id in (missing, "garbage"):
        response = await client.post(
            "/graphql", json={"query": query, "variables": {"id": global_id}}
        )
        assert response.json()["data"]["deleteMinifigure"]["code"] == "UNAUTHORIZED"
