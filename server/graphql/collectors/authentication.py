"""Puts the caller's principal on the context: from the HTTP header or `connection_init`.

HTTP: `Authorization: Bearer <access token | API key | operator key>`. WebSocket: the
`connection_init` payload `{"authorization": "Bearer ..."}`, or the older `{"apiKey": ...}`
(operator key only). A refused credential leaves HTTP requests anonymous with
`credential_error` set (public data stays readable, account fields say why); a WebSocket
with a refused credential is closed (4403) so a client learns it at once.
"""

from __future__ import annotations

from server.collectors.authenticate import CredentialError
from server.collectors.principal import OPERATOR, Principal, Scope
from server.graphql.auth import InvalidApiKeyError, admin_from_connection_params
from server.graphql.context import Context

AUTHORIZATION_PARAM = "authorization"


async def identify_request(context: Context, authorization: str | None) -> None:
    assert context.collectors is not None
    try:
        principal = await context.collectors.authenticator.principal(authorization)
    except CredentialError as error:
        context.credential_error = error.code
        principal = None
    _act_as(context, principal)


async def identify_connection(context: Context) -> None:
    """Raises InvalidApiKeyError for a credential that is refused."""
    assert context.collectors is not None
    params = context.connection_params or {}
    if admin_from_connection_params(context.settings, params):
        _act_as(context, OPERATOR)
        return
    authorization = params.get(AUTHORIZATION_PARAM)
    if authorization is None:
        return
    if not isinstance(authorization, str):
        raise InvalidApiKeyError
    try:
        principal = await context.collectors.authenticator.principal(authorization)
    except CredentialError:
        raise InvalidApiKeyError from None
    _act_as(context, principal)


def _act_as(context: Context, principal: Principal | None) -> None:
    context.principal = principal
    context.is_admin = principal is not None and principal.can(Scope.ADMIN)
