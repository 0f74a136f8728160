"""An app with a known token secret and a recorded Brickset; sign-up helpers."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from server.app import create_app
from tests.conftest import settings_for
from tests.graphql.conftest import (
    GraphQLClient,
    statements,  # noqa: F401 (a fixture, on this app)
)

TOKEN_SECRET = "collectors-tests-token-secret-0123456789abcdef"
OPERATOR_KEY = "collectors-tests-operator-key-0123456789abcdef"


class BricksetRecordings:
    """Serves recorded Brickset answers; remembers the requests it saw."""

    def __init__(self) -> None:
        self.responses: list[httpx.Response] = []
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.responses.pop(0)


@pytest.fixture
def brickset() -> BricksetRecordings:
    return BricksetRecordings()


@pytest.fixture
async def app(database_url: str, redis_url: str, brickset: BricksetRecordings) -> Starlette:
    settings = settings_for(
        database_url, redis_url, token_secret=TOKEN_SECRET, admin_api_key=OPERATOR_KEY
    )
    return create_app(settings, http_transport=httpx.MockTransport(brickset))


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        yield client


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(client)


@dataclass
class User:
    email: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


SIGN_UP = """mutation($email: String!, $password: String!) {
  signUp(input: {email: $email, password: $password}) {
    __typename
    ... on AuthSession { accessToken refreshToken expiresAt viewer { email } }
    ... on MutationError { code field message }
  }
}"""

PASSWORD = "correct horse battery"


def new_email() -> str:
    return f"collector-{uuid.uuid4().hex[:12]}@example.com"


async def sign_up(gql: GraphQLClient, email: str | None = None) -> User:
    email = email or new_email()
    data = await gql.data(SIGN_UP, email=email, password=PASSWORD)
    session = data["signUp"]
    assert session["__typename"] == "AuthSession", session
    return User(email, session["accessToken"], session["refreshToken"])


async def as_user(
    gql: GraphQLClient, headers: dict[str, str], query: str, **variables: Any
) -> dict[str, Any]:
    body = await gql.execute(query, headers=headers, **variables)
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data
