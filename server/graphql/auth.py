"""Who is calling: the admin API key, sent as `Authorization: Bearer <key>`."""

from __future__ import annotations

import hmac

from server.settings import Settings

_SCHEME = "bearer "


def is_admin(authorization: str | None, settings: Settings) -> bool:
    """True when the header carries the configured admin key (compared in constant time)."""
    if settings.admin_api_key is None or not authorization:
        return False
    if authorization[: len(_SCHEME)].lower() != _SCHEME:
        return False
    offered = authorization[len(_SCHEME) :].strip().encode()
    expected = settings.admin_api_key.get_secret_value().encode()
    return hmac.compare_digest(offered, expected)
