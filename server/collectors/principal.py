"""Who a request acts for, and what it may do: the one place rate limits and checks key on."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum


class Scope(StrEnum):
    READ = "READ"
    WRITE = "WRITE"
    ADMIN = "ADMIN"


class CredentialKind(StrEnum):
    OPERATOR_KEY = "operator_key"  # the ADMIN_API_KEY setting
    ACCESS_TOKEN = "access_token"  # noqa: S105 (a kind, not a secret): a signed-in session
    API_KEY = "api_key"  # an account's API key


@dataclass(frozen=True, slots=True)
class Principal:
    kind: CredentialKind
    scopes: frozenset[Scope]
    # The account acted for; None for the operator key, which belongs to no account.
    account_id: uuid.UUID | None = None
    # The API key used, when one was.
    api_key_id: uuid.UUID | None = None

    def can(self, scope: Scope) -> bool:
        return scope in self.scopes

    @property
    def identity(self) -> str:
        """A stable key per caller (per API key, per account, or the operator)."""
        if self.api_key_id is not None:
            return f"api_key:{self.api_key_id}"
        if self.account_id is not None:
            return f"account:{self.account_id}"
        return "operator"


OPERATOR = Principal(CredentialKind.OPERATOR_KEY, frozenset(Scope))


def session_scopes(is_admin: bool) -> frozenset[Scope]:
    """What a signed-in account may do: read and write its own data; admins also ADMIN."""
    return frozenset(Scope) if is_admin else frozenset({Scope.READ, Scope.WRITE})
