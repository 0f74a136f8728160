"""Sign-up, sign-in, token expiry and refresh, sign-out, and the credentials' scopes."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from server.collectors.admin_command import create_admin
from server.collectors.principal import Scope
from server.collectors.tokens import AccessTokens
from tests.collectors.conftest import (
    OPERATOR_KEY,
    PASSWORD,
    SIGN_UP,
    TOKEN_SECRET,
    as_user,
    new_email,
    sign_up,
)
from tests.graphql.conftest import GraphQLClient

VIEWER = "{ viewer { email scopes } }"

SIGN_IN = """mutation($email: String!, $password: String!) {
  signIn(input: {email: $email, password: $password}) {
    __typename
    ... on AuthSession { accessToken refreshToken viewer { email } }
    ... on MutationError { code field }
  }
}"""

REFRESH = """mutation($token: String!) {
  refreshSession(input: {refreshToken: $token}) {
    __typename
    ... on AuthSession { accessToken refreshToken }
    ... on MutationError { code field message }
  }
}"""

SIGN_OUT = """mutation($token: String!) {
  signOut(input: {refreshToken: $token}) {
    __typename
    ... on MutationError { code }
  }
}"""

CREATE_KEY = """mutation($name: String!, $scopes: [Scope!]!) {
  createApiKey(input: {name: $name, scopes: $scopes}) {
    __typename
    ... on CreateApiKeySuccess { secret apiKey { id name prefix scopes revokedAt } }
    ... on MutationError { code field message }
  }
}"""

REVOKE_KEY = """mutation($id: ID!) {
  revokeApiKey(id: $id) {
    __typename
    ... on RevokeApiKeySuccess { apiKey { revokedAt } }
    ... on MutationError { code field }
  }
}"""

KEYS = "{ viewer { apiKeys { id name prefix scopes lastUsedAt revokedAt } } }"


def bearer(credential: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {credential}"}


async def _codes(gql: GraphQLClient, query: str, headers: dict[str, str]) -> list[str]:
    body = await gql.execute(query, headers=headers)
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def test_sign_up_then_sign_in_with_the_same_password(gql: GraphQLClient) -> None:
    email = new_email()
    user = await sign_up(gql, email.upper())

    assert user.email == email.upper()
    viewer = (await as_user(gql, user.headers, VIEWER))["viewer"]
    assert viewer == {"email": email, "scopes": ["READ", "WRITE"]}

    signed_in = (await gql.data(SIGN_IN, email=email, password=PASSWORD))["signIn"]
    assert signed_in["__typename"] == "AuthSession"
    assert signed_in["viewer"] == {"email": email}
    wrong = (await gql.data(SIGN_IN, email=email, password="not the password"))["signIn"]
    assert wrong == {"__typename": "AuthError", "code": "INVALID_CREDENTIALS", "field": None}
    nobody = (await gql.data(SIGN_IN, email=new_email(), password=PASSWORD))["signIn"]
    assert nobody["code"] == "INVALID_CREDENTIALS"


async def test_sign_up_refuses_a_taken_email_a_bad_email_and_a_short_password(
    gql: GraphQLClient,
) -> None:
    user = await sign_up(gql)

    taken = (await gql.data(SIGN_UP, email=user.email, password=PASSWORD))["signUp"]
    bad_email = (await gql.data(SIGN_UP, email="not-an-email", password=PASSWORD))["signUp"]
    short = (await gql.data(SIGN_UP, email=new_email(), password="short"))["signUp"]

    assert (taken["code"], taken["field"]) == ("EMAIL_TAKEN", "email")
    assert (bad_email["code"], bad_email["field"]) == ("INVALID_VALUE", "email")
    assert (short["code"], short["field"]) == ("INVALID_VALUE", "password")


async def test_anonymous_viewer_is_null_and_public_data_stays_readable(gql: GraphQLClient) -> None:
    assert await gql.data("{ viewer { email } themes { name } }") == {
        "viewer": None,
        "themes": [],
    }


async def test_an_expired_access_token_is_refused_until_the_session_is_refreshed(
    gql: GraphQLClient,
) -> None:
    user = await sign_up(gql)
    viewer_id = await _account_id(gql, user.headers)
    expired = AccessTokens(TOKEN_SECRET, timedelta(seconds=-5)).issue(
        viewer_id, frozenset({Scope.READ})
    )

    assert await _codes(gql, VIEWER, bearer(expired.token)) == ["TOKEN_EXPIRED"]
    # Public data is still served to the holder of an expired token.
    assert (await gql.execute("{ themes { name } }", headers=bearer(expired.token)))["data"]

    refreshed = (await gql.data(REFRESH, token=user.refresh_token))["refreshSession"]
    assert refreshed["__typename"] == "AuthSession"
    viewer = (await as_user(gql, bearer(refreshed["accessToken"]), VIEWER))["viewer"]
    assert viewer["email"] == user.email


async def test_a_forged_token_is_refused(gql: GraphQLClient) -> None:
    user = await sign_up(gql)
    forged = AccessTokens("another-secret-" + "x" * 40, timedelta(minutes=5)).issue(
        await _account_id(gql, user.headers), frozenset()
    )
    assert await _codes(gql, VIEWER, bearer(forged.token)) == ["INVALID_CREDENTIALS"]
    assert await _codes(gql, VIEWER, bearer("garbage")) == ["INVALID_CREDENTIALS"]


async def test_refresh_tokens_rotate_and_a_reused_one_ends_the_chain(gql: GraphQLClient) -> None:
    user = await sign_up(gql)

    first = (await gql.data(REFRESH, token=user.refresh_token))["refreshSession"]
    assert first["__typename"] == "AuthSession"
    assert first["refreshToken"] != user.refresh_token

    # The spent token again: someone copied it. Both it and its successor stop working.
    reused = (await gql.data(REFRESH, token=user.refresh_token))["refreshSession"]
    assert (reused["code"], reused["field"]) == ("INVALID_REFRESH_TOKEN", "refreshToken")
    assert "already used" in reused["message"]
    successor = (await gql.data(REFRESH, token=first["refreshToken"]))["refreshSession"]
    assert successor["code"] == "INVALID_REFRESH_TOKEN"
    assert "ended" in successor["message"]


async def test_sign_out_ends_the_refresh_chain(gql: GraphQLClient) -> None:
    user = await sign_up(gql)
    rotated = (await gql.data(REFRESH, token=user.refresh_token))["refreshSession"]

    signed_out = (await gql.data(SIGN_OUT, token=rotated["refreshToken"]))["signOut"]
    again = (await gql.data(REFRESH, token=rotated["refreshToken"]))["refreshSession"]
    unknown = (await gql.data(SIGN_OUT, token="never-issued"))["signOut"]

    assert signed_out == {"__typename": "SignOutSuccess"}
    assert again["code"] == "INVALID_REFRESH_TOKEN"
    assert unknown == {"__typename": "AuthError", "code": "INVALID_REFRESH_TOKEN"}


async def test_api_keys_are_shown_once_listed_by_prefix_scoped_and_revocable(
    gql: GraphQLClient,
) -> None:
    user = await sign_up(gql)

    created = (await as_user(gql, user.headers, CREATE_KEY, name="spreadsheet", scopes=["READ"]))[
        "createApiKey"
    ]
    secret = created["secret"]
    key = created["apiKey"]
    assert secret.startswith(f"stk_{key['prefix']}_")
    assert key["scopes"] == ["READ"]

    # The key reads as its account ...
    viewer = (await as_user(gql, bearer(secret), VIEWER))["viewer"]
    assert viewer == {"email": user.email, "scopes": ["READ"]}
    listed = (await as_user(gql, user.headers, KEYS))["viewer"]["apiKeys"]
    assert [(k["name"], k["prefix"]) for k in listed] == [("spreadsheet", key["prefix"])]
    assert listed[0]["lastUsedAt"] is not None
    assert secret not in str(listed)

    # ... but cannot write: a READ key makes no keys.
    from_key = (await as_user(gql, bearer(secret), CREATE_KEY, name="escalate", scopes=["READ"]))[
        "createApiKey"
    ]
    assert from_key["code"] == "FORBIDDEN"

    revoked = (await as_user(gql, user.headers, REVOKE_KEY, id=key["id"]))["revokeApiKey"]
    assert revoked["apiKey"]["revokedAt"] is not None
    assert await _codes(gql, VIEWER, bearer(secret)) == ["INVALID_CREDENTIALS"]


async def test_a_write_only_key_cannot_read_and_no_one_grants_what_they_lack(
    gql: GraphQLClient,
) -> None:
    user = await sign_up(gql)
    write_only = (await as_user(gql, user.headers, CREATE_KEY, name="writer", scopes=["WRITE"]))[
        "createApiKey"
    ]["secret"]

    assert await _codes(gql, "{ viewer { email } }", bearer(write_only)) == ["FORBIDDEN"]
    admin = (await as_user(gql, user.headers, CREATE_KEY, name="admin", scopes=["ADMIN"]))[
        "createApiKey"
    ]
    assert (admin["code"], admin["field"]) == ("FORBIDDEN", "scopes")
    empty = (await as_user(gql, user.headers, CREATE_KEY, name="none", scopes=[]))["createApiKey"]
    assert (empty["code"], empty["field"]) == ("INVALID_VALUE", "scopes")


async def test_api_key_mutations_with_no_wrong_and_right_credentials(gql: GraphQLClient) -> None:
    owner = await sign_up(gql)
    other = await sign_up(gql)
    key = (await as_user(gql, owner.headers, CREATE_KEY, name="mine", scopes=["READ", "WRITE"]))[
        "createApiKey"
    ]["apiKey"]

    anonymous = (await gql.data(CREATE_KEY, name="x", scopes=["READ"]))["createApiKey"]
    wrong = (
        await as_user(gql, bearer("stk_0123456789_nope"), CREATE_KEY, name="x", scopes=["READ"])
    )["createApiKey"]
    operator = (await as_user(gql, bearer(OPERATOR_KEY), CREATE_KEY, name="x", scopes=["READ"]))[
        "createApiKey"
    ]
    assert anonymous["code"] == "UNAUTHENTICATED"
    assert wrong["code"] == "INVALID_CREDENTIALS"
    assert operator["code"] == "UNAUTHENTICATED"

    # Another user's key id is not found, and the key keeps working.
    theirs = (await as_user(gql, other.headers, REVOKE_KEY, id=key["id"]))["revokeApiKey"]
    assert (theirs["code"], theirs["field"]) == ("NOT_FOUND", "id")
    not_a_key = (await as_user(gql, owner.headers, REVOKE_KEY, id="garbage"))["revokeApiKey"]
    assert not_a_key["code"] == "NOT_FOUND"
    anonymous_revoke = (await gql.data(REVOKE_KEY, id=key["id"]))["revokeApiKey"]
    assert anonymous_revoke["code"] == "UNAUTHENTICATED"
    listed = (await as_user(gql, owner.headers, KEYS))["viewer"]["apiKeys"]
    assert listed[0]["revokedAt"] is None


async def _account_id(gql: GraphQLClient, headers: dict[str, str]) -> uuid.UUID:
    from server.graphql.node import from_global_id

    global_id = (await as_user(gql, headers, "{ viewer { id } }"))["viewer"]["id"]
    return uuid.UUID(from_global_id(global_id)[1])


CREATE_FIGURE = """mutation($fig: String!) {
  createMinifigure(input: {figNum: $fig, name: "Admin-made"}) {
    __typename
    ... on CreateMinifigureError { code }
  }
}"""


async def test_create_admin_makes_an_account_whose_session_administers_the_catalog(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    email = new_email()
    done = await create_admin(committed, email, lambda: PASSWORD)
    await committed.commit()
    collector = await sign_up(gql)
    admin = (await gql.data(SIGN_IN, email=email, password=PASSWORD))["signIn"]

    assert done == f"created admin account {email}"
    refused = await as_user(gql, collector.headers, CREATE_FIGURE, fig="adm0001")
    allowed = await as_user(gql, bearer(admin["accessToken"]), CREATE_FIGURE, fig="adm0001")
    operator = await as_user(gql, bearer(OPERATOR_KEY), CREATE_FIGURE, fig="adm0002")
    assert refused["createMinifigure"] == {
        "__typename": "CreateMinifigureError",
        "code": "UNAUTHORIZED",
    }
    assert allowed["createMinifigure"] == {"__typename": "CreateMinifigureSuccess"}
    assert operator["createMinifigure"] == {"__typename": "CreateMinifigureSuccess"}
    # Running it again for an existing account promotes it, asking no password.
    assert await create_admin(committed, collector.email, _no_password) == (
        f"{collector.email} is now an admin (password unchanged)"
    )


def _no_password() -> str:
    raise AssertionError("an existing account needs no password")
