"""Relay connections: page-size rules, opaque cursors and PageInfo.

A cursor is base64 of a small JSON array naming what the page is sorted by, so a cursor
from one ordering is refused by another instead of silently skipping rows.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date, datetime
from typing import Any

import strawberry

from server.graphql.errors import ClientError
from server.graphql.node import MAX_ROW_ID
from server.graphql.ranges import aware, bounded_day

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@strawberry.type(description="Where a page sits in its connection.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="More items follow the last one (in the direction of `first`/`after`)."
    )
    has_previous_page: bool = strawberry.field(
        description="More items precede the first one (in the direction of `last`/`before`)."
    )
    start_cursor: str | None = strawberry.field(description="Cursor of the first item.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last item.")


def encode_cursor(kind: str, *values: Any) -> str:
    payload = json.dumps([kind, *values], separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(payload.encode()).decode()


def decode_cursor(cursor: str, kind: str, arity: int) -> list[Any]:
    """The values of a cursor made by `encode_cursor(kind, ...)`; INVALID_CURSOR otherwise."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, UnicodeDecodeError, ValueError, RecursionError):
        raise ClientError("INVALID_CURSOR", f"{cursor!r} is not a valid cursor") from None
    if not isinstance(decoded, list) or len(decoded) != arity + 1 or decoded[0] != kind:
        raise ClientError("INVALID_CURSOR", f"{cursor!r} is not a cursor of this list and ordering")
    return decoded[1:]


def page_size(first: int | None, maximum: int = MAX_PAGE_SIZE) -> int:
    if first is None:
        return DEFAULT_PAGE_SIZE
    if first < 0 or first > maximum:
        raise ClientError("INVALID_PAGE_SIZE", f"page size must lie between 0 and {maximum}")
    return first


def direction(
    first: int | None, after: str | None, last: int | None, before: str | None
) -> tuple[int, str | None, bool]:
    """(page size, cursor, backward) from Relay arguments; mixing directions is refused."""
    if last is None and before is None:
        return page_size(first), after, False
    if first is not None or after is not None:
        raise ClientError(
            "INVALID_ARGUMENTS", "page forward (`first`/`after`) or backward (`last`/`before`)"
        )
    return page_size(last), before, True


def _malformed() -> ClientError:
    return ClientError("INVALID_CURSOR", "malformed cursor")


def cursor_date(value: object) -> date:
    """A day as this API writes it (ISO), within the dates any range accepts."""
    if not isinstance(value, str):
        raise _malformed()
    try:
        return bounded_day(date.fromisoformat(value))
    except (ValueError, ClientError):
        raise _malformed() from None


def cursor_datetime(value: object) -> datetime:
    """A moment as this API writes it: ISO with its UTC offset (a naive one is tampered)."""
    if not isinstance(value, str):
        raise _malformed()
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise _malformed()
        return aware(moment)
    except (ValueError, ClientError):
        raise _malformed() from None


def cursor_int(value: object) -> int:
    """A positive 64-bit row id (JSON keeps ints exact; `true` is not one)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ROW_ID:
        raise _malformed()
    return value
