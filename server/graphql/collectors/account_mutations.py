"""Sign-up, sign-in, refresh, sign-out and API keys."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from server.collectors.credentials import digest, new_api_key
from server.collectors.principal import CredentialKind, Principal, session_scopes
from server.collectors.principal import Scope as StoreScope
from server.collectors.sessions import SessionError, SessionTokens
from server.graphql.collectors.access import AccessDenied, account_principal, denied
from server.graphql.collectors.errors import ApiKeyError, AuthError
from server.graphql.collectors.ids import local_uuid
from server.graphql.collectors.types import ApiKey, AuthSession, Scope, Viewer
from server.graphql.context import Context
from server.graphql.mutation_errors import ErrorCode
from server.store.accounts import EmailTakenError
from server.store.api_keys import add_api_key, revoke_api_key

MAX_KEY_NAME_LENGTH = 100


@strawberry.input(description="An email and a password.")
class CredentialsInput:
    email: str = strawberry.field(description="The email address.")
    password: str = strawberry.field(description="At least 10 characters.")


@strawberry.input(description="The refresh token of a session.")
class RefreshTokenInput:
    refresh_token: str = strawberry.field(description="From signIn, signUp or refreshSession.")


@strawberry.input(description="A new API key.")
class CreateApiKeyInput:
    name: str = strawberry.field(description="A label, e.g. where the key is used.")
    scopes: list[Scope] = strawberry.field(description="What the key may do.")


@strawberry.type(description="The session ended: its refresh chain is revoked.")
class SignOutSuccess:
    signed_out: bool = strawberry.field(description="Always true.")


@strawberry.type(description="The key was created; `secret` is shown this once only.")
class CreateApiKeySuccess:
    api_key: ApiKey = strawberry.field(description="The key as listed from now on.")
    secret: str = strawberry.field(
        description="The whole key: `Authorization: Bearer <secret>`. Store it now."
    )


@strawberry.type(description="The key was revoked; requests with it are refused.")
class RevokeApiKeySuccess:
    api_key: ApiKey = strawberry.field(description="The key, with its revocation time.")


SignUpResult = Annotated[
    AuthSession | AuthError, strawberry.union("SignUpResult", description="signUp's outcome.")
]
SignInResult = Annotated[
    AuthSession | AuthError, strawberry.union("SignInResult", description="signIn's outcome.")
]
RefreshSessionResult = Annotated[
    AuthSession | AuthError,
    strawberry.union("RefreshSessionResult", description="refreshSession's outcome."),
]
SignOutResult = Annotated[
    SignOutSuccess | AuthError, strawberry.union("SignOutResult", description="signOut's outcome.")
]
CreateApiKeyResult = Annotated[
    CreateApiKeySuccess | ApiKeyError,
    strawberry.union("CreateApiKeyResult", description="createApiKey's outcome."),
]
RevokeApiKeyResult = Annotated[
    RevokeApiKeySuccess | ApiKeyError,
    strawberry.union("RevokeApiKeyResult", description="revokeApiKey's outcome."),
]


def _session(tokens: SessionTokens) -> AuthSession:
    return AuthSession(
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_at=tokens.expires_at,
        viewer=Viewer(account_id=tokens.account.id),
    )


def _auth_error(error: SessionError | EmailTakenError) -> AuthError:
    if isinstance(error, EmailTakenError):
        return AuthError(code=ErrorCode.EMAIL_TAKEN, field="email", message=str(error))
    return AuthError(code=ErrorCode[error.code], field=error.field, message=str(error))


def _signed_in(info: Info[Context, None], tokens: SessionTokens) -> AuthSession:
    # The rest of this request (the returned viewer) acts for the new session.
    info.context.principal = Principal(
        CredentialKind.ACCESS_TOKEN,
        session_scopes(tokens.account.is_admin),
        account_id=tokens.account.id,
    )
    return _session(tokens)


@strawberry.type(description="Accounts, sessions and API keys.")
class AccountMutation:
    @strawberry.mutation(description="Create an account and sign in.")
    async def sign_up(self, info: Info[Context, None], input: CredentialsInput) -> SignUpResult:
        services = info.context.collectors
        assert services is not None
        try:
            async with info.context.session_factory() as session, session.begin():
                tokens = await services.sessions.sign_up(session, input.email, input.password)
        except (SessionError, EmailTakenError) as error:
            return _auth_error(error)
        return _signed_in(info, tokens)

    @strawberry.mutation(description="Sign in with email and password.")
    async def sign_in(self, info: Info[Context, None], input: CredentialsInput) -> SignInResult:
        services = info.context.collectors
        assert services is not None
        try:
            async with info.context.session_factory() as session, session.begin():
                tokens = await services.sessions.sign_in(session, input.email, input.password)
        except SessionError as error:
            return _auth_error(error)
        return _signed_in(info, tokens)

    @strawberry.mutation(
        description="Trade a refresh token for a new session (a new access and refresh token). "
        "Each refresh token works once: presenting a used one again ends the whole session."
    )
    async def refresh_session(
        self, info: Info[Context, None], input: RefreshTokenInput
    ) -> RefreshSessionResult:
        services = info.context.collectors
        assert services is not None
        # Committed even when refused: a reuse revokes the chain in this transaction.
        async with info.context.session_factory() as session, session.begin():
            outcome = await services.sessions.refresh(session, input.refresh_token)
        if isinstance(outcome, SessionError):
            return _auth_error(outcome)
        return _signed_in(info, outcome)

    @strawberry.mutation(description="Sign out: the session's refresh tokens stop working.")
    async def sign_out(self, info: Info[Context, None], input: RefreshTokenInput) -> SignOutResult:
        services = info.context.collectors
        assert services is not None
        try:
            async with info.context.session_factory() as session, session.begin():
                await services.sessions.sign_out(session, input.refresh_token)
        except SessionError as error:
            return _auth_error(error)
        return SignOutSuccess(signed_out=True)

    @strawberry.mutation(
        description="Create an API key for your account (needs WRITE; a key never gets a "
        "scope the credential creating it lacks)."
    )
    async def create_api_key(
        self, info: Info[Context, None], input: CreateApiKeyInput
    ) -> CreateApiKeyResult:
        try:
            principal = account_principal(info.context, StoreScope.WRITE)
        except AccessDenied as failure:
            return denied(ApiKeyError, failure)
        assert principal.account_id is not None
        name = input.name.strip()
        if not name or len(name) > MAX_KEY_NAME_LENGTH:
            return ApiKeyError(
                code=ErrorCode.INVALID_VALUE,
                field="name",
                message=f"the name needs 1 to {MAX_KEY_NAME_LENGTH} characters",
            )
        scopes = {scope.to_store() for scope in input.scopes}
        if not scopes:
            return ApiKeyError(code=ErrorCode.INVALID_VALUE, field="scopes", message="name a scope")
        if missing := scopes - principal.scopes:
            return ApiKeyError(
                code=ErrorCode.FORBIDDEN,
                field="scopes",
                message=f"this credential cannot grant {', '.join(sorted(missing))}",
            )
        prefix, secret = new_api_key()
        async with info.context.session_factory() as session, session.begin():
            row = await add_api_key(
                session,
                account_id=principal.account_id,
                name=name,
                prefix=prefix,
                secret_hash=digest(secret),
                scopes=sorted(scopes),
            )
        return CreateApiKeySuccess(api_key=ApiKey.from_row(row), secret=secret)

    @strawberry.mutation(description="Revoke one of your API keys (needs WRITE).")
    async def revoke_api_key(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The key's global id.")],
    ) -> RevokeApiKeyResult:
        try:
            principal = account_principal(info.context, StoreScope.WRITE)
        except AccessDenied as failure:
            return denied(ApiKeyError, failure)
        assert principal.account_id is not None
        key_id = local_uuid(id, "ApiKey")
        row = None
        if key_id is not None:
            async with info.context.session_factory() as session, session.begin():
                row = await revoke_api_key(session, account_id=principal.account_id, key_id=key_id)
        if row is None:
            return ApiKeyError(
                code=ErrorCode.NOT_FOUND, field="id", message="you have no such API key"
            )
        return RevokeApiKeySuccess(api_key=ApiKey.from_row(row))
