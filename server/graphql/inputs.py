"""Input hygiene that holds for every argument: no NUL characters.

PostgreSQL text cannot hold U+0000, so a NUL that reached a query would fail deep inside
the database driver. It is refused up front, for variables and for string literals
written in the document (`"\\u0000"`, `"\\u{0}"`), with INVALID_VARIABLES or
INVALID_ARGUMENTS.
"""

from __future__ import annotations

import re
from typing import Any

from graphql import GraphQLError

_NUL_ESCAPE = re.compile(r"\\u(?:0000|\{0+\})")


def _has_nul(value: Any) -> bool:
    # Iterative: variables may nest as deep as their JSON allowed.
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def nul_refusal(query: str | None, variables: dict[str, Any] | None) -> GraphQLError | None:
    if variables and _has_nul(variables):
        return GraphQLError(
            "variables may not contain NUL characters (U+0000)",
            extensions={"code": "INVALID_VARIABLES"},
        )
    if query and _NUL_ESCAPE.search(query):
        return GraphQLError(
            "string arguments may not contain NUL characters (U+0000)",
            extensions={"code": "INVALID_ARGUMENTS"},
        )
    return None
