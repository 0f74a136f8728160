"""Who a WebSocket connection is: anonymous, or the admin (API key in `connection_init`)."""

from __future__ import annotations

import hmac

from server.settings import Settings

API_KEY_PARAM = "apiKey"


class InvalidApiKeyError(Exception):
    """`connection_init` carried an API key that is not the configured one."""


def is_admin(settings: Settings, connection_params: dict[str, object] | None) -> bool:
    """True for the admin key, False without a key; raises for a wrong key.

    A wrong key is refused outright rather than downgraded to anonymous, so a client with
    a typo learns it at once instead of silently missing what needs the key.
    """
    presented = (connection_params or {}).get(API_KEY_PARAM)
    if presented is None:
        return False
    expected = settings.admin_api_key.get_secret_value() if settings.admin_api_key else ""
    if not isinstance(presented, str) or not expected:
        raise InvalidApiKeyError
    if not hmac.compare_digest(presented.encode(), expected.encode()):
        raise InvalidApiKeyError
    return True
