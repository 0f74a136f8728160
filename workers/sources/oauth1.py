"""OAuth 1.0a request signing, HMAC-SHA1 (RFC 5849), as BrickLink's API requires."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from pydantic import SecretStr


@dataclass(frozen=True, slots=True)
class OAuth1Credentials:
    consumer_key: SecretStr
    consumer_secret: SecretStr
    token: SecretStr
    token_secret: SecretStr


def _encode(value: str) -> str:
    # RFC 5849 3.6: unreserved characters stay, everything else is %XX (uppercase).
    return quote(value, safe="~")


def _base_url(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port
    default = {"http": 80, "https": 443}.get(parts.scheme)
    netloc = host if port in (None, default) else f"{host}:{port}"
    return urlunsplit((parts.scheme.lower(), netloc.lower(), parts.path or "/", "", ""))


def signature(
    method: str, url: str, params: Mapping[str, str], consumer_secret: str, token_secret: str
) -> str:
    """The oauth_signature over the method, base URL and all parameters (query, body, oauth_*)."""
    pairs = sorted((_encode(k), _encode(v)) for k, v in params.items())
    normalized = "&".join(f"{k}={v}" for k, v in pairs)
    base = "&".join((method.upper(), _encode(_base_url(url)), _encode(normalized)))
    key = f"{_encode(consumer_secret)}&{_encode(token_secret)}"
    digest = hmac.new(key.encode(), base.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def authorization_header(
    method: str,
    url: str,
    params: Mapping[str, str],
    credentials: OAuth1Credentials,
    *,
    nonce: str | None = None,
    timestamp: int | None = None,
) -> str:
    oauth = {
        "oauth_consumer_key": credentials.consumer_key.get_secret_value(),
        "oauth_nonce": nonce or secrets.token_hex(16),
        "oauth_signature_method": "HMAC-SHA1",
        "oauth_timestamp": str(timestamp if timestamp is not None else int(time.time())),
        "oauth_token": credentials.token.get_secret_value(),
        "oauth_version": "1.0",
    }
    oauth["oauth_signature"] = signature(
        method,
        url,
        {**params, **oauth},
        credentials.consumer_secret.get_secret_value(),
        credentials.token_secret.get_secret_value(),
    )
    fields = ", ".join(f'{k}="{_encode(v)}"' for k, v in sorted(oauth.items()))
    return f"OAuth {fields}"
