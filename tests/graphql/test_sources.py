"""Data sources and sync runs, listed and reached by global id."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from server.graphql.node import to_global_id
from server.models import SyncRun
from tests.graphql.conftest import GraphQLClient


@pytest.fixture
async def runs(committed: AsyncSession) -> AsyncIterator[list[int]]:
    rows = [
        SyncRun(source="bricklink", kind="prices", status="succeeded", seen=10, saved=8),
        SyncRun(source="ebay", kind="prices", status="failed", error="HTTP 503"),
        SyncRun(source="bricklink", kind="prices", status="running"),
    ]
    committed.add_all(rows)
    await committed.commit()
    yield [row.id for row in rows]
    await committed.execute(delete(SyncRun))
    await committed.commit()


async def test_data_sources_are_listed_and_reachable(gql: GraphQLClient) -> None:
    data = await gql.data("{ dataSources { id code kind active } }")
    codes = [source["code"] for source in data["dataSources"]]
    bricklink = next(s for s in data["dataSources"] if s["code"] == "bricklink")

    node = await gql.data(
        "query($id: ID!) { node(id: $id) { ... on DataSource { code name } } }", id=bricklink["id"]
    )

    assert codes == ["bricklink", "brickowl", "demo", "ebay", "rebrickable"]
    assert bricklink["kind"] == "marketplace"
    assert node == {"node": {"code": "bricklink", "name": "BrickLink"}}
    missing = to_global_id("DataSource", "nope")
    assert await gql.data(f'{{ node(id: "{missing}") {{ id }} }}') == {"node": None}


async def test_sync_runs_newest_first_filtered_and_paged(
    gql: GraphQLClient, runs: list[int]
) -> None:
    query = """query($after: String, $source: String, $status: SyncStatus) {
      syncRuns(first: 2, after: $after, source: $source, status: $status) {
        nodes { id source status seen saved error }
        pageInfo { hasNextPage endCursor }
      }
    }"""

    first = (await gql.data(query))["syncRuns"]
    second = (await gql.data(query, after=first["pageInfo"]["endCursor"]))["syncRuns"]
    failed = (await gql.data(query, status="FAILED"))["syncRuns"]
    bricklink = (await gql.data(query, source="bricklink"))["syncRuns"]

    assert [n["status"] for n in first["nodes"]] == ["RUNNING", "FAILED"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert [(n["status"], n["seen"], n["saved"]) for n in second["nodes"]] == [("SUCCEEDED", 10, 8)]
    assert second["pageInfo"]["hasNextPage"] is False
    assert [(n["source"], n["error"]) for n in failed["nodes"]] == [("ebay", "HTTP 503")]
    assert len(bricklink["nodes"]) == 2
    node = await gql.data(
        "query($id: ID!) { node(id: $id) { ... on SyncRun { source status } } }",
        id=to_global_id("SyncRun", runs[1]),
    )
    assert node == {"node": {"source": "ebay", "status": "FAILED"}}
