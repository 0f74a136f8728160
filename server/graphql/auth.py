"""The operator key over WebSocket: `{"apiKey": "<ADMIN_API_KEY>"}` in `connection_init`.

Every other credential (and the operator key over HTTP) goes through
server/graphql/collectors/authentication.py.
"""

from __future__ import annotations

from server.settings import Settings

API_KEY_PARAM = "apiKey"
_SCHEME = "bearer "


class InvalidApiKeyError(Exception):
    """`connection_init` carried a credential that is refused."""


def is_operator(authorization: str | None, settings: Settings) -> bool:
    """True when an `Authorization` header carries the operator key (ADMIN_API_KEY)."""
    if not authorization or authorization[: len(_SCHEME)].lower() != _SCHEME:
        return False
    return settings.accepts_admin_key(authorization[len(_SCHEME) :].strip())


def admin_from_connection_params(
    settings: Settings, connection_params: dict[str, object] | None
) -> bool:
    """True for the admin key, False without a key; raises for a wrong key.

    A wrong key is refused outright rather than downgraded to anonymous, so a client with
    a typo learns it at once instead of silently missing what needs the key.
    """
    presented = (connection_params or {}).get(API_KEY_PARAM)
    if presented is None:
        return False
    if not isinstance(presented, str) or not settings.accepts_admin_key(presented):
        raise InvalidApiKeyError
    return True
