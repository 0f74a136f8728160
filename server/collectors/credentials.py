"""Random bearer secrets (API keys, refresh tokens) and their stored form."""

from __future__ import annotations

import hashlib
import secrets
import string

API_KEY_TAG = "stk"
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits
_PREFIX_LENGTH = 10


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def new_api_key() -> tuple[str, str]:
    """(prefix, full key): `stk_<prefix>_<secret>`; the prefix names the key in listings."""
    prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(_PREFIX_LENGTH))
    return prefix, f"{API_KEY_TAG}_{prefix}_{secrets.token_urlsafe(32)}"


def api_key_prefix(presented: str) -> str | None:
    """The prefix of something shaped like an API key; None for anything else."""
    tag, _, rest = presented.partition("_")
    prefix, _, secret = rest.partition("_")
    if tag != API_KEY_TAG or len(prefix) != _PREFIX_LENGTH or not secret:
        return None
    return prefix
