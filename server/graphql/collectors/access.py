"""Who may do what: every collectors field and mutation asks here, with the scope it needs."""

from __future__ import annotations

import uuid
from typing import TypeVar

from strawberry.types import Info

from server.collectors.principal import Principal, Scope
from server.graphql.context import Context
from server.graphql.errors import ClientError
from server.graphql.mutation_errors import ErrorCode, MutationError

Failure = TypeVar("Failure", bound=MutationError)


class AccessDenied(Exception):
    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


def account_principal(context: Context, scope: Scope) -> Principal:
    """The caller's principal if it acts for an account and holds `scope`; else AccessDenied."""
    principal = context.principal
    if principal is None:
        if context.credential_error is not None:
            return _raise(ErrorCode[context.credential_error], "the credential was refused")
        return _raise(ErrorCode.UNAUTHENTICATED, "sign in first")
    if principal.account_id is None:
        return _raise(
            ErrorCode.UNAUTHENTICATED,
            "the operator key belongs to no account: use an account's token or API key",
        )
    if not principal.can(scope):
        return _raise(ErrorCode.FORBIDDEN, f"this credential lacks the {scope} scope")
    return principal


def _raise(code: ErrorCode, message: str) -> Principal:
    raise AccessDenied(code, message)


def account_id(info: Info[Context, None], scope: Scope) -> uuid.UUID:
    """For fields: the account acted for, or a coded GraphQL error."""
    try:
        principal = account_principal(info.context, scope)
    except AccessDenied as denied:
        raise ClientError(denied.code.name, str(denied)) from None
    assert principal.account_id is not None
    return principal.account_id


def writing_account(info: Info[Context, None]) -> uuid.UUID:
    """For mutations: the account to change, if the credential may write; else AccessDenied."""
    principal = account_principal(info.context, Scope.WRITE)
    assert principal.account_id is not None
    return principal.account_id


def denied(error: type[Failure], failure: AccessDenied) -> Failure:
    return error(code=failure.code, field=None, message=str(failure))
