"""Sign-up, sign-in, refresh and sign-out: what a session is made of and how it ends."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from server.collectors.credentials import digest, new_refresh_token
from server.collectors.passwords import hash_password, password_problem, verify_password
from server.collectors.principal import session_scopes
from server.collectors.tokens import AccessTokens
from server.models import Account
from server.store.accounts import account_by_email, create_account, normalize_email
from server.store.refresh_tokens import (
    Rotation,
    Spent,
    add_refresh_token,
    family_of,
    revoke_family,
    spend_refresh_token,
)


class SessionError(Exception):
    """An expected refusal; `code` and `field` reach the client."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.field = field


@dataclass(frozen=True, slots=True)
class SessionTokens:
    account: Account
    access_token: str
    refresh_token: str
    expires_at: datetime


class Sessions:
    def __init__(self, tokens: AccessTokens, refresh_lifetime: timedelta) -> None:
        self.tokens = tokens
        self.refresh_lifetime = refresh_lifetime

    async def sign_up(self, session: AsyncSession, email: str, password: str) -> SessionTokens:
        normalized = normalize_email(email)
        if normalized is None:
            raise SessionError("INVALID_VALUE", "this is not an email address", "email")
        if problem := password_problem(password):
            raise SessionError("INVALID_VALUE", problem, "password")
        # argon2 is deliberately slow: off the event loop, other requests go on meanwhile.
        password_hash = await asyncio.to_thread(hash_password, password)
        account = await create_account(session, email=normalized, password_hash=password_hash)
        return await self._start(session, account)

    async def sign_in(self, session: AsyncSession, email: str, password: str) -> SessionTokens:
        normalized = normalize_email(email)
        account = await account_by_email(session, normalized) if normalized else None
        # Verified even without an account, so the answer takes as long either way.
        stored = account.password_hash if account else None
        if not await asyncio.to_thread(verify_password, stored, password):
            raise SessionError("INVALID_CREDENTIALS", "wrong email or password")
        assert account is not None
        return await self._start(session, account)

    async def refresh(
        self, session: AsyncSession, refresh_token: str
    ) -> SessionTokens | SessionError:
        """Returns (not raises) the refusal: the caller commits either way, since a reused
        token's chain is revoked in this transaction."""
        spent = await spend_refresh_token(session, digest(refresh_token))
        if isinstance(spent, Rotation):
            return await self._start(session, spent.account, spent.family_id)
        messages = {
            Spent.UNKNOWN: "this refresh token is not valid",
            Spent.EXPIRED: "this refresh token has expired: sign in again",
            Spent.REVOKED: "this session has ended: sign in again",
            Spent.REUSED: "this refresh token was already used: the session is ended for safety",
        }
        return SessionError("INVALID_REFRESH_TOKEN", messages[spent], "refreshToken")

    async def sign_out(self, session: AsyncSession, refresh_token: str) -> None:
        """Ends the whole chain the token belongs to; unknown tokens are refused."""
        token = await family_of(session, digest(refresh_token))
        if token is None:
            raise SessionError(
                "INVALID_REFRESH_TOKEN", "this refresh token is not valid", "refreshToken"
            )
        await revoke_family(session, token.family_id)

    async def _start(
        self, session: AsyncSession, account: Account, family_id: uuid.UUID | None = None
    ) -> SessionTokens:
        access = self.tokens.issue(account.id, session_scopes(account.is_admin))
        refresh_token = new_refresh_token()
        await add_refresh_token(
            session,
            account_id=account.id,
            token_hash=digest(refresh_token),
            expires_at=datetime.now(UTC) + self.refresh_lifetime,
            family_id=family_id,
        )
        return SessionTokens(account, access.token, refresh_token, access.expires_at)
