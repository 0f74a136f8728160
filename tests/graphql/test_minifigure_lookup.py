from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from server.graphql.node import to_global_id
from server.store.catalog import upsert_minifigures
from tests.factories import catalog_entry

FIELDS = "id figNum name theme yearReleased numParts rebrickableId"


async def _query(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200
    # Only data and errors: extensions (the query cost) are tested on their own.
    body: dict[str, Any] = response.json()
    body.pop("extensions", None)
    return body


async def test_minifigure_by_fig_num_and_by_id(
    client: httpx.AsyncClient, committed: AsyncSession
) -> None:
    ids = await upsert_minifigures(committed, [catalog_entry(rebrickable_id="fig-000001")])
    await committed.commit()
    global_id = to_global_id("Minifigure", ids["sw0001a"])

    by_fig_num = await _query(
        client, f"query($f: String) {{ minifigure(figNum: $f) {{ {FIELDS} }} }}", f="SW0001A"
    )
    by_id = await _query(
        client, f"query($i: ID) {{ minifigure(id: $i) {{ {FIELDS} }} }}", i=global_id
    )
    by_node = await _query(
        client, "query($i: ID!) { node(id: $i) { id ... on Minifigure { figNum } } }", i=global_id
    )

    expected = {
        "id": global_id,
        "figNum": "sw0001a",
        "name": "Luke Skywalker (Tatooine)",
        "theme": "Star Wars",
        "yearReleased": 1999,
        "numParts": 4,
        "rebrickableId": "fig-000001",
    }
    assert by_fig_num == {"data": {"minifigure": expected}}
    assert by_id == {"data": {"minifigure": expected}}
    assert by_node == {"data": {"node": {"id": global_id, "figNum": "sw0001a"}}}


async def test_unknown_ids_give_null(client: httpx.AsyncClient) -> None:
    unknown = to_global_id("Minifigure", "00000000-0000-0000-0000-000000000000")

    assert await _query(client, '{ minifigure(figNum: "nope0001") { id } }') == {
        "data": {"minifigure": None}
    }
    assert await _query(client, f'{{ minifigure(id: "{unknown}") {{ id }} }}') == {
        "data": {"minifigure": None}
    }
    assert await _query(client, f'{{ node(id: "{unknown}") {{ id }} }}') == {"data": {"node": None}}


async def test_malformed_ids_and_ambiguous_arguments_are_client_errors(
    client: httpx.AsyncClient,
) -> None:
    malformed = await _query(client, '{ node(id: "%%%") { id } }')
    both = await _query(client, '{ minifigure(id: "x", figNum: "sw0001a") { id } }')

    assert malformed["errors"][0]["extensions"]["code"] == "INVALID_ID"
    assert both["errors"][0]["extensions"]["code"] == "INVALID_ARGUMENTS"
