"""GraphQL over HTTP: media types, status codes, GET caching, coded request errors."""

from __future__ import annotations

import json

import httpx
import pytest

from server.app import create_app
from server.graphql.http import GRAPHQL_RESPONSE, negotiate
from tests.conftest import settings_for

VERSION = {"query": "{ version }"}


def request_error(response: httpx.Response) -> str:
    """The code of a refused request, after checking it names the request id."""
    body = response.json()
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    code: str = error["extensions"]["code"]
    return code


@pytest.mark.parametrize(
    "body",
    [
        b"null",
        b'"a JSON string"',
        b"[]",
        b"42",
        b"{not json",
        b'{"query": "{ version }", "variables": ' + b'{"a": ' * 3000 + b"1" + b"}" * 3001,
        b'{"query": 7}',
        b'{"query": "{ version }", "variables": []}',
        b'{"query": "{ version }", "operationName": 3}',
        b'{"query": "{ version }", "extensions": "x"}',
        b"{}",
        b"",
    ],
)
async def test_malformed_bodies_are_coded_json_with_the_request_id(
    client: httpx.AsyncClient, body: bytes
) -> None:
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )

    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert request_error(response) == "BAD_REQUEST"


async def test_graphql_response_json_answers_request_errors_with_400_and_no_data(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ noSuchField }"}, headers={"accept": GRAPHQL_RESPONSE}
    )

    assert response.status_code == 400
    assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    assert request_error(response) == "GRAPHQL_VALIDATION_FAILED"


async def test_application_json_answers_request_errors_with_200(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ version"}, headers={"accept": "application/json"}
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert request_error(response) == "GRAPHQL_PARSE_FAILED"


async def test_unacceptable_accept_is_406(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json=VERSION, headers={"accept": "text/xml"})

    assert response.status_code == 406
    assert request_error(response) == "NOT_ACCEPTABLE"


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, GRAPHQL_RESPONSE),
        ("*/*", GRAPHQL_RESPONSE),
        ("application/json", "application/json"),
        ("application/graphql-response+json, application/json;q=0.9", GRAPHQL_RESPONSE),
        ("application/graphql-response+json;q=0.5, application/json", "application/json"),
        ("text/html, application/json;q=0", None),
    ],
)
def test_negotiation_follows_the_qualities(accept: str | None, chosen: str | None) -> None:
    assert negotiate(accept) == chosen


async def test_read_only_queries_over_get_are_cacheable(client: httpx.AsyncClient) -> None:
    first = await client.get("/graphql", params={"query": "{ version }"})
    again = await client.get(
        "/graphql",
        params={"query": "{ version }"},
        headers={"if-none-match": first.headers["etag"]},
    )
    signed_in = await client.get(
        "/graphql", params={"query": "{ version }"}, headers={"authorization": "Bearer k"}
    )

    assert first.status_code == 200
    assert first.json()["data"] == {"version": "0.1.0"}
    assert first.headers["cache-control"] == "public, max-age=10"
    assert again.status_code == 304
    assert again.content == b""
    assert signed_in.headers["cache-control"] == "private, no-cache"


async def test_get_variables_must_be_json(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql", params={"query": "query($n: Int) { version }", "variables": "{nope"}
    )

    assert response.status_code == 400
    assert request_error(response) == "BAD_REQUEST"


async def test_a_database_outage_is_service_unavailable(redis_url: str) -> None:
    # Nothing listens on port 1: every connection attempt is refused.
    settings = settings_for("postgresql://postgres:postgres@127.0.0.1:1/none", redis_url)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://t") as client,
    ):
        response = await client.post("/graphql", json={"query": "{ minifigures { totalCount } }"})
        legacy = await client.post(
            "/graphql",
            json={"query": "{ minifigures { totalCount } }"},
            headers={"accept": "application/json"},
        )

    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    assert legacy.status_code == 200
    assert json.loads(legacy.content)["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"


async def test_other_methods_are_a_coded_405(client: httpx.AsyncClient) -> None:
    response = await client.put("/graphql", json=VERSION)

    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert request_error(response) == "METHOD_NOT_ALLOWED"


async def test_an_oversized_body_names_the_request_id(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content=b"x" * 2_000_000, headers={"content-type": "application/json"}
    )

    assert response.status_code == 413
    assert request_error(response) == "REQUEST_TOO_LARGE"
