"""Reading marketplace JSON defensively: a wrong shape becomes MalformedResponseError."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from workers.sources.errors import MalformedResponseError


def json_of(source: str, response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as error:
        raise MalformedResponseError(source, f"response is not JSON: {error}") from error


def field(source: str, container: Any, name: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(container, dict) or name not in container:
        raise MalformedResponseError(source, f"missing field {name!r}")
    value = container[name]
    if not isinstance(value, kind):
        raise MalformedResponseError(
            source, f"field {name!r} is {type(value).__name__}, expected {kind}"
        )
    return value


def decimal_of(source: str, value: Any, name: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation as error:
        raise MalformedResponseError(source, f"{name} {value!r} is not a number") from error
    if not amount.is_finite():
        raise MalformedResponseError(source, f"{name} {value!r} is not a finite number")
    return amount


def timestamp_of(source: str, value: Any, name: str) -> datetime:
    if not isinstance(value, str):
        raise MalformedResponseError(source, f"{name} {value!r} is not a timestamp")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise MalformedResponseError(source, f"{name} {value!r} is not ISO 8601") from error
    if moment.tzinfo is None:
        raise MalformedResponseError(source, f"{name} {value!r} has no time zone")
    return moment


def content_ids(prefix: str, rows: Iterable[dict[str, Any]]) -> list[str]:
    """Stable ids for rows a marketplace gives no id: a hash of the content, plus an
    occurrence number so identical rows stay distinct (in any order, the same ids)."""
    seen: Counter[str] = Counter()
    ids = []
    for row in rows:
        digest = hashlib.sha256(json.dumps(row, sort_keys=True).encode()).hexdigest()[:24]
        ids.append(f"{prefix}:{digest}:{seen[digest]}")
        seen[digest] += 1
    return ids
