"""Who is calling: the admin API key, over HTTP as `Authorization: Bearer <key>`, over
WebSocket as `{"apiKey": "<key>"}` in the `connection_init` payload."""

from __future__ import annotations

from server.settings import Settings

_SCHEME = "bearer "
API_KEY_PARAM = "apiKey"


class InvalidApiKeyError(Exception):
    """`connection_init` carried an API key that is not the configured one."""


def is_admin(authorization: str | None, settings: Settings) -> bool:
    """True when the header carries the configured admin key."""
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
