"""The HTTP surface: GraphQL over POST, health, request ids, error masking."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
import pytest
import strawberry

from server.app import create_app
from server.graphql.errors import ClientError, ErrorPolicy
from server.graphql.schema import StonksSchema
from server.settings import Environment
from tests.conftest import settings_for

QUERY_HEADERS = {"content-type": "application/json"}


async def test_graphql_answers_with_version_and_health(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "{ __typename version health { database redis timescaledb } }"},
    )

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["__typename"] == "Query"
    assert data["version"] == "0.1.0"
    assert data["health"]["database"] is True
    assert data["health"]["redis"] is True
    assert isinstance(data["health"]["timescaledb"], bool)


async def test_every_response_carries_a_request_id(client: httpx.AsyncClient) -> None:
    first = await client.post("/graphql", json={"query": "{ __typename }"})
    second = await client.post("/graphql", json={"query": "{ __typename }"})

    assert len(first.headers["x-request-id"]) == 32
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_a_caller_supplied_request_id_is_kept_only_when_safe(
    client: httpx.AsyncClient,
) -> None:
    kept = await client.get("/healthz", headers={"x-request-id": "trace-1234abcd"})
    replaced = await client.get("/healthz", headers={"x-request-id": "bad\nid injected"})

    assert kept.headers["x-request-id"] == "trace-1234abcd"
    assert replaced.headers["x-request-id"] != "bad\nid injected"


async def test_healthz_reports_both_servers(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": True, "redis": True}


async def test_mutations_over_get_are_refused(client: httpx.AsyncClient) -> None:
    """GET would let a cross-site page run writes with the user's cookies."""
    response = await client.get(
        "/graphql", params={"query": 'mutation { deleteMinifigure(id: "x") { __typename } }'}
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert "data" not in response.json()


async def test_validation_errors_carry_a_code(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ noSuchField }"})

    [error] = response.json()["errors"]
    assert "noSuchField" in error["message"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_graphiql_is_served_in_development_only(database_url: str, redis_url: str) -> None:
    async def ide_status(environment: Environment) -> int:
        settings = settings_for(
            database_url, redis_url, environment=environment, admin_api_key="k" * 40
        )
        transport = httpx.ASGITransport(app=create_app(settings))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            response = await client.get("/graphql", headers={"accept": "text/html"})
        return response.status_code if "graphiql" in response.text.lower() else 404

    assert await ide_status(Environment.DEVELOPMENT) == 200
    assert await ide_status(Environment.PRODUCTION) == 404


@strawberry.type
class _FailingQuery:
    @strawberry.field
    def broken(self) -> int:
        raise RuntimeError("secret connection string postgres://u:p@h")

    @strawberry.field
    def refused(self) -> int:
        raise ClientError("PAGE_SIZE_TOO_LARGE", "first may be at most 100")


class _Context:
    request_id = "req-0001"


async def test_unexpected_errors_are_masked_and_logged_with_the_request_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    schema = StonksSchema(query=_FailingQuery, extensions=[ErrorPolicy])

    with caplog.at_level(logging.ERROR, logger="server.graphql"):
        result = await schema.execute("{ broken }", context_value=_Context())

    assert result.errors is not None
    [error] = result.errors
    assert error.message == "Internal server error"
    assert error.extensions == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-0001"}
    [record] = caplog.records
    assert "req-0001" in record.getMessage()
    assert record.exc_info is not None
    assert "secret connection string" in str(record.exc_info[1])


async def test_client_errors_reach_the_client_with_their_code() -> None:
    schema = StonksSchema(query=_FailingQuery, extensions=[ErrorPolicy])

    result = await schema.execute("{ refused }", context_value=_Context())

    assert result.errors is not None
    [error] = result.errors
    assert error.message == "first may be at most 100"
    assert error.extensions == {"code": "PAGE_SIZE_TOO_LARGE"}


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
async def test_content_types_a_cross_site_form_can_send_are_refused(
    client: httpx.AsyncClient, content_type: str
) -> None:
    """Browsers send these cross-site without a preflight; JSON needs one."""
    response = await client.post(
        "/graphql", content=b'{"query": "{ __typename }"}', headers={"content-type": content_type}
    )
    assert response.status_code == 415
    assert response.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


async def test_bodies_over_the_limit_are_refused_whether_declared_or_streamed(
    client: httpx.AsyncClient,
) -> None:
    huge = b'{"query": "{ __typename }", "variables": {"x": "' + b"a" * 2_000_000 + b'"}}'

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(huge), 65_536):
            yield huge[start : start + 65_536]

    declared = await client.post("/graphql", content=huge, headers=QUERY_HEADERS)
    streamed = await client.post("/graphql", content=chunks(), headers=QUERY_HEADERS)
    normal = await client.post("/graphql", json={"query": "{ __typename }"})

    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
    assert normal.status_code == 200
