"""Short-lived access tokens: HS256 JWTs naming the account and its scopes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from server.collectors.principal import CredentialKind, Principal, Scope

_ALGORITHM = "HS256"
_AUDIENCE = "stonks-api"


class AccessTokenError(Exception):
    """The token is not one of ours, or no longer valid; `code` says which."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class AccessToken:
    token: str
    expires_at: datetime


class AccessTokens:
    def __init__(self, secret: str, lifetime: timedelta) -> None:
        self._secret = secret
        self.lifetime = lifetime

    def issue(self, account_id: uuid.UUID, scopes: frozenset[Scope]) -> AccessToken:
        now = datetime.now(UTC)
        expires_at = now + self.lifetime
        claims = {
            "sub": str(account_id),
            "aud": _AUDIENCE,
            "iat": now,
            "exp": expires_at,
            "scope": " ".join(sorted(scopes)),
        }
        return AccessToken(jwt.encode(claims, self._secret, algorithm=_ALGORITHM), expires_at)

    def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[_ALGORITHM],
                audience=_AUDIENCE,
                options={"require": ["sub", "exp", "aud"]},
            )
            account_id = uuid.UUID(claims["sub"])
            scopes = frozenset(Scope(s) for s in str(claims.get("scope", "")).split())
        except jwt.ExpiredSignatureError:
            raise AccessTokenError(
                "TOKEN_EXPIRED", "the access token has expired: call refreshSession"
            ) from None
        except (jwt.InvalidTokenError, ValueError):
            raise AccessTokenError(
                "INVALID_CREDENTIALS", "the bearer credential is not valid"
            ) from None
        return Principal(CredentialKind.ACCESS_TOKEN, scopes, account_id=account_id)


def looks_like_jwt(credential: str) -> bool:
    return credential.count(".") == 2
