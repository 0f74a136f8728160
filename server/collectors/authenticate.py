"""Turns a bearer credential into a Principal: operator key, access token or API key.

No credential is anonymous (None). A credential that is presented but not valid raises
`CredentialError`: a client with a typo or an expired token learns it at once instead of
silently reading as anonymous.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.collectors.credentials import api_key_prefix, digest
from server.collectors.principal import OPERATOR, CredentialKind, Principal, Scope
from server.collectors.tokens import AccessTokenError, AccessTokens, looks_like_jwt
from server.settings import Settings
from server.store.api_keys import live_key_by_prefix, note_key_used

_SCHEME = "bearer"


class CredentialError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


_INVALID = ("INVALID_CREDENTIALS", "the bearer credential is not valid")


def bearer_credential(authorization: str | None) -> str | None:
    """The credential of `Bearer <credential>`; None without one."""
    if not authorization:
        return None
    scheme, _, credential = authorization.strip().partition(" ")
    if scheme.lower() != _SCHEME or not credential.strip():
        raise CredentialError(*_INVALID)
    return credential.strip()


class Authenticator:
    def __init__(
        self,
        settings: Settings,
        tokens: AccessTokens,
        session_factory: async_sessionmaker[AsyncSession],
    ) -> None:
        self._settings = settings
        self._tokens = tokens
        self._session_factory = session_factory

    async def principal(self, authorization: str | None) -> Principal | None:
        credential = bearer_credential(authorization)
        if credential is None:
            return None
        if self._settings.accepts_admin_key(credential):
            return OPERATOR
        if looks_like_jwt(credential):
            try:
                return self._tokens.verify(credential)
            except AccessTokenError as error:
                raise CredentialError(error.code, str(error)) from None
        prefix = api_key_prefix(credential)
        if prefix is None:
            raise CredentialError(*_INVALID)
        return await self._api_key(prefix, credential)

    async def _api_key(self, prefix: str, credential: str) -> Principal:
        async with self._session_factory() as session, session.begin():
            found = await live_key_by_prefix(session, prefix)
            if found is None or not hmac.compare_digest(found.key.secret_hash, digest(credential)):
                raise CredentialError(*_INVALID)
            await note_key_used(session, found.key, datetime.now(UTC))
        scopes = frozenset(Scope(s) for s in found.key.scopes)
        if not found.account_is_admin:  # an account demoted since keeps no ADMIN key
            scopes -= {Scope.ADMIN}
        return Principal(
            CredentialKind.API_KEY,
            scopes,
            account_id=found.key.account_id,
            api_key_id=found.key.id,
        )
