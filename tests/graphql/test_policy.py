"""Production policy: suggestions, introspection, trusted documents."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import parse, validate

from server.app import create_app
from server.graphql.schema import schema
from server.graphql.trusted import DEFAULT_MANIFEST, TrustedDocuments, document_hash
from server.settings import Environment
from tests.conftest import settings_for

Client = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def app_client(database_url: str, redis_url: str) -> Client:
    @asynccontextmanager
    async def client(**overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(settings_for(database_url, redis_url, **overrides))
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://t") as http,
        ):
            yield http

    return client


async def first_error(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/graphql", json=body)
    error: dict[str, Any] = response.json()["errors"][0]
    return error


async def test_suggestions_are_shown_in_development_only(app_client: Client) -> None:
    typo = {"query": "{ versio }"}
    async with app_client() as development:
        helpful = await first_error(development, typo)
    async with app_client(environment=Environment.PRODUCTION, admin_api_key="k" * 40) as prod:
        terse = await first_error(prod, typo)

    assert "Did you mean" in helpful["message"]
    assert "Did you mean" not in terse["message"]
    assert terse["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_introspection_follows_its_setting(app_client: Client) -> None:
    introspect = {"query": "{ __schema { queryType { name } } }"}
    async with app_client(graphql_introspection=False) as closed:
        refused = await first_error(closed, introspect)
        typename = (await closed.post("/graphql", json={"query": "{ __typename }"})).json()

    assert refused["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "introspection" in refused["message"]
    assert typename["data"] == {"__typename": "Query"}


def test_the_frontend_manifest_registers_valid_operations() -> None:
    """The build writes it (frontend/scripts/trusted-documents.mjs); it must load and
    every operation in it must validate, or trusted-documents mode breaks the web app."""
    trusted = TrustedDocuments.load(DEFAULT_MANIFEST, only=True)

    assert len(trusted.documents) >= 4
    for document in trusted.documents.values():
        assert validate(schema._schema, parse(document)) == []


async def test_trusted_documents_mode_runs_registered_operations_only(
    app_client: Client, tmp_path: Path
) -> None:
    registered = "query Version { version }"
    manifest = tmp_path / "trusted.json"
    manifest.write_text(f'{{"{document_hash(registered)}": "{registered}"}}')
    async with app_client(trusted_documents_only=True, trusted_documents_file=manifest) as client:
        by_text = await client.post("/graphql", json={"query": registered})
        by_hash = await client.post(
            "/graphql",
            json={
                "extensions": {
                    "persistedQuery": {"version": 1, "sha256Hash": document_hash(registered)}
                }
            },
        )
        by_id = await client.post(
            "/graphql", json={"documentId": f"sha256:{document_hash(registered)}"}
        )
        other = await first_error(client, {"query": "{ version }"})
        unknown = await first_error(client, {"documentId": "0" * 64})

    for response in (by_text, by_hash, by_id):
        assert response.json()["data"] == {"version": "0.1.0"}
    assert other["extensions"]["code"] == "UNTRUSTED_DOCUMENT"
    assert unknown["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
