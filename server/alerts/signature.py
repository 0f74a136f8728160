"""How webhook bodies are signed: HMAC-SHA256 over `<timestamp>.<body>` with the alert's secret.

Headers: `X-Stonks-Timestamp` (Unix seconds) and `X-Stonks-Signature: sha256=<hex>`.
The timestamp is signed with the body, so a receiver can refuse old replays.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "X-Stonks-Signature"
TIMESTAMP_HEADER = "X-Stonks-Timestamp"
SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix that makes the secret recognisable)


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()
