"""Catalog admin mutations: the admin key, validation and duplicates as typed errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from server.app import create_app
from server.graphql.node import to_global_id
from tests.conftest import settings_for
from tests.graphql.conftest import GraphQLClient
from tests.graphql.market_data import add_figures, add_listings, noon_ago

ADMIN_KEY = "a-test-admin-key-of-sufficient-length-0123456789"
ADMIN = {"authorization": f"Bearer {ADMIN_KEY}"}

CREATE = """mutation($input: CreateMinifigureInput!) {
  createMinifigure(input: $input) {
    __typename
    ... on CreateMinifigureSuccess { minifigure { id figNum name theme yearReleased } }
    ... on MutationError { code field message }
  }
}"""
UPDATE = """mutation($id: ID!, $input: UpdateMinifigureInput!) {
  updateMinifigure(id: $id, input: $input) {
    __typename
    ... on UpdateMinifigureSuccess { minifigure { name theme yearReleased numParts } }
    ... on MutationError { code field }
  }
}"""
DELETE = """mutation($id: ID!) {
  deleteMinifigure(id: $id) {
    __typename
    ... on DeleteMinifigureSuccess { deletedId }
    ... on MutationError { code field }
  }
}"""
SET_IDS = """mutation($id: ID!, $rb: String, $bo: String) {
  setExternalIds(id: $id, rebrickableId: $rb, brickowlId: $bo) {
    __typename
    ... on SetExternalIdsSuccess { minifigure { rebrickableId brickowlId } }
    ... on MutationError { code field }
  }
}"""


@pytest.fixture
async def admin_gql(database_url: str, redis_url: str) -> AsyncIterator[GraphQLClient]:
    app = create_app(settings_for(database_url, redis_url, admin_api_key=ADMIN_KEY))
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        yield GraphQLClient(client)


async def _run(gql: GraphQLClient, query: str, field: str, **variables: Any) -> dict[str, Any]:
    body = await gql.execute(query, headers=ADMIN, **variables)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"][field]
    return result


async def test_create_then_read_back(admin_gql: GraphQLClient, committed: AsyncSession) -> None:
    created = await _run(
        admin_gql,
        CREATE,
        "createMinifigure",
        input={
            "figNum": " SW0999 ",
            "name": "Test Pilot",
            "theme": "Star Wars",
            "yearReleased": 2020,
        },
    )
    duplicate = await _run(
        admin_gql, CREATE, "createMinifigure", input={"figNum": "sw0999", "name": "Again"}
    )
    invalid = await _run(
        admin_gql,
        CREATE,
        "createMinifigure",
        input={"figNum": "sw1000", "name": "Old", "yearReleased": 1800},
    )
    blank = await _run(admin_gql, CREATE, "createMinifigure", input={"figNum": "!!", "name": "x"})

    assert created["__typename"] == "CreateMinifigureSuccess"
    assert {k: v for k, v in created["minifigure"].items() if k != "id"} == {
        "figNum": "sw0999",
        "name": "Test Pilot",
        "theme": "Star Wars",
        "yearReleased": 2020,
    }
    read = await admin_gql.data('{ minifigure(figNum: "sw0999") { id } }')
    assert read["minifigure"]["id"] == created["minifigure"]["id"]
    assert (duplicate["__typename"], duplicate["code"], duplicate["field"]) == (
        "CreateMinifigureError",
        "DUPLICATE",
        "figNum",
    )
    assert (invalid["code"], invalid["field"]) == ("INVALID_VALUE", "yearReleased")
    assert (blank["code"], blank["field"]) == ("INVALID_VALUE", "figNum")


async def test_update_changes_only_the_given_fields(
    admin_gql: GraphQLClient, committed: AsyncSession
) -> None:
    ids = await add_figures(committed, {"fig_num": "sw0001a", "num_parts": 4})
    await committed.commit()
    global_id = to_global_id("Minifigure", ids["sw0001a"])

    renamed = await _run(
        admin_gql, UPDATE, "updateMinifigure", id=global_id, input={"name": "Luke", "theme": None}
    )
    invalid = await _run(
        admin_gql, UPDATE, "updateMinifigure", id=global_id, input={"numParts": -1}
    )
    empty_name = await _run(
        admin_gql, UPDATE, "updateMinifigure", id=global_id, input={"name": "  "}
    )
    missing = await _run(
        admin_gql,
        UPDATE,
        "updateMinifigure",
        id=to_global_id("Minifigure", "00000000-0000-0000-0000-000000000000"),
        input={"name": "x"},
    )

    assert renamed == {
        "__typename": "UpdateMinifigureSuccess",
        "minifigure": {"name": "Luke", "theme": None, "yearReleased": 1999, "numParts": 4},
    }
    assert (invalid["code"], invalid["field"]) == ("INVALID_VALUE", "numParts")
    assert (empty_name["code"], empty_name["field"]) == ("INVALID_VALUE", "name")
    assert (missing["code"], missing["field"]) == ("NOT_FOUND", "id")
    after = await admin_gql.data('{ minifigure(figNum: "sw0001a") { name numParts } }')
    assert after["minifigure"] == {"name": "Luke", "numParts": 4}


async def test_external_ids_are_unique_and_clearable(
    admin_gql: GraphQLClient, committed: AsyncSession
) -> None:
    ids = await add_figures(
        committed, {"fig_num": "sw0001a", "rebrickable_id": "fig-000001"}, {"fig_num": "sw0002"}
    )
    await committed.commit()
    luke = to_global_id("Minifigure", ids["sw0001a"])
    trooper = to_global_id("Minifigure", ids["sw0002"])

    taken = await _run(admin_gql, SET_IDS, "setExternalIds", id=trooper, rb="fig-000001")
    assigned = await _run(admin_gql, SET_IDS, "setExternalIds", id=trooper, bo="BO-77")
    cleared = await _run(admin_gql, SET_IDS, "setExternalIds", id=luke, rb=None)

    assert (taken["code"], taken["field"]) == ("DUPLICATE", "rebrickableId")
    assert assigned["minifigure"] == {"rebrickableId": None, "brickowlId": "BO-77"}
    assert cleared["minifigure"] == {"rebrickableId": None, "brickowlId": None}


async def test_delete_removes_the_minifigure_and_its_prices(
    admin_gql: GraphQLClient, committed: AsyncSession
) -> None:
    ids = await add_figures(committed, {"fig_num": "sw0001a"})
    await add_listings(committed, ids["sw0001a"], [(noon_ago(1), "10.00")])
    await committed.commit()
    global_id = to_global_id("Minifigure", ids["sw0001a"])

    deleted = await _run(admin_gql, DELETE, "deleteMinifigure", id=global_id)
    again = await _run(admin_gql, DELETE, "deleteMinifigure", id=global_id)
    garbage = await _run(admin_gql, DELETE, "deleteMinifigure", id="%%%")

    assert deleted == {"__typename": "DeleteMinifigureSuccess", "deletedId": global_id}
    assert (again["code"], garbage["code"]) == ("NOT_FOUND", "NOT_FOUND")
    assert await admin_gql.data(f'{{ node(id: "{global_id}") {{ id }} }}') == {"node": None}


async def test_writes_need_the_admin_key(
    admin_gql: GraphQLClient, gql: GraphQLClient, committed: AsyncSession
) -> None:
    variables = {"input": {"figNum": "sw0999", "name": "Nope"}}

    anonymous = await admin_gql.execute(CREATE, **variables)
    wrong = await admin_gql.execute(CREATE, headers={"authorization": "Bearer nope"}, **variables)
    basic = await admin_gql.execute(
        CREATE, headers={"authorization": f"Basic {ADMIN_KEY}"}, **variables
    )
    # The default test app has no admin key configured: nothing unlocks it.
    unconfigured = await gql.execute(CREATE, headers=ADMIN, **variables)

    for body in (anonymous, wrong, basic, unconfigured):
        assert body["data"]["createMinifigure"]["code"] == "UNAUTHORIZED"
    assert await admin_gql.data('{ minifigure(figNum: "sw0999") { id } }') == {"minifigure": None}
