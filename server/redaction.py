"""Keeping credentials out of everything stored, logged or shown.

Errors from marketplaces may echo what they were sent: a URL with an API key in its
query string (BrickOwl), an Authorization header, a token. Three layers:
- `scrub` removes configured secrets by value, URL query strings and passwords, and
  credential-looking key/value pairs, from any text;
- `failure_record` is what a failed run stores: a one-line summary, then scrubbed detail;
- `public_summary` is what anonymous clients see of it: the first line, short.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from pydantic import SecretStr

from server.settings import Settings

REDACTED = "***"
PUBLIC_SUMMARY_LENGTH = 160
# Shorter values would match ordinary words; real credentials are far longer.
_MIN_SECRET_LENGTH = 4

_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s\"'<>]+")
_URL_PASSWORD = re.compile(r"(://[^:/@\s]*):[^@/\s]*@")
_AUTH_WORDS = ("bearer", "basic", "digest", "oauth")
_PAIR_WORDS = ("token", "secret", "password", "key", "signature")
_AUTH_SCHEME = re.compile(r"(?i)\b(bearer|basic|digest|oauth)(\s+)[^\s,\"']+")
_CREDENTIAL_PAIR = re.compile(
    r"(?i)([\"']?\b(?:[\w-]*(?:token|secret|password|api[_-]?key|signature)|key)[\"']?"
    r"\s*[:=]\s*[\"']?)[^\s\"'&,}]+"
)


def secret_values(settings: Settings) -> tuple[str, ...]:
    """Every configured secret: SecretStr settings and the passwords inside service URLs."""
    values: list[str] = []
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            secret = value.get_secret_value()
            values.append(secret)
            if "://" in secret and (password := urlsplit(secret).password):
                values.append(password)
    # Longest first: a secret containing another is removed whole.
    return tuple(sorted({v for v in values if len(v) >= _MIN_SECRET_LENGTH}, key=len, reverse=True))


def _without_query(match: re.Match[str]) -> str:
    url = _URL_PASSWORD.sub(rf"\1:{REDACTED}@", match.group(0))
    if "?" in url:
        url = url.split("?", 1)[0] + "?" + REDACTED
    return url


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    # Substring checks first: every log line passes through here, most match nothing.
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    if "://" in text:
        text = _URL.sub(_without_query, text)
    lowered = text.lower()
    if any(word in lowered for word in _AUTH_WORDS):
        text = _AUTH_SCHEME.sub(rf"\1\2{REDACTED}", text)
    if any(word in lowered for word in _PAIR_WORDS):
        text = _CREDENTIAL_PAIR.sub(rf"\1{REDACTED}", text)
    return text


def failure_record(error: BaseException, secrets: Iterable[str] = ()) -> str:
    """`Class: message`, then the error's `detail` (a response body, say) on later lines."""
    summary = f"{type(error).__name__}: {error}".strip()
    if summary.endswith(":"):
        summary += " (no detail)"
    detail = getattr(error, "detail", None)
    return scrub(f"{summary}\n{detail}" if detail else summary, secrets)


def public_summary(record: str | None) -> str | None:
    """The error class and a short message: no response bodies reach anonymous clients."""
    if record is None:
        return None
    line = record.split("\n", 1)[0]
    if len(line) > PUBLIC_SUMMARY_LENGTH:
        line = line[: PUBLIC_SUMMARY_LENGTH - 1] + "…"
    return scrub(line)


class RedactingFilter(logging.Filter):
    """Scrubs log records (message and traceback) before any handler formats them."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = tuple(secrets)
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage(), self.secrets)
        record.args = None
        if record.exc_info:
            record.exc_text = self._formatter.formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = scrub(record.exc_text, self.secrets)
        return True


def redact_logs(settings: Settings) -> None:
    """Installs the filter on the root handlers (records of every logger pass through them)."""
    redacting = RedactingFilter(secret_values(settings))
    for handler in logging.getLogger().handlers:
        handler.addFilter(redacting)
