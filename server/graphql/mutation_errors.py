"""The one error shape of every mutation: a code, the input field at fault, a message.

Each mutation's result is a union of its success type and an error type implementing
`MutationError`, so clients handle every expected failure with one fragment.
"""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="Why a mutation did nothing.")
class ErrorCode(Enum):
    UNAUTHENTICATED = strawberry.enum_value(
        "UNAUTHENTICATED",
        description="Sign in, or send `Authorization: Bearer <access token or API key>`.",
    )
    TOKEN_EXPIRED = strawberry.enum_value(
        "TOKEN_EXPIRED", description="The access token expired: call refreshSession."
    )
    INVALID_CREDENTIALS = strawberry.enum_value(
        "INVALID_CREDENTIALS",
        description="Wrong email or password, or a bearer credential that is not valid.",
    )
    FORBIDDEN = strawberry.enum_value(
        "FORBIDDEN", description="The credential lacks the scope this needs (see `message`)."
    )
    UNAUTHORIZED = strawberry.enum_value(
        "UNAUTHORIZED", description="No valid admin API key (`Authorization: Bearer <key>`)."
    )
    NOT_FOUND = strawberry.enum_value(
        "NOT_FOUND",
        description="No such object (for collector data: none among yours); see `field`.",
    )
    DUPLICATE = strawberry.enum_value(
        "DUPLICATE", description="Another object already has this value (see `field`)."
    )
    INVALID_VALUE = strawberry.enum_value(
        "INVALID_VALUE", description="A value breaks a rule; see `field` and `message`."
    )
    EMAIL_TAKEN = strawberry.enum_value(
        "EMAIL_TAKEN", description="An account with this email exists already."
    )
    INVALID_REFRESH_TOKEN = strawberry.enum_value(
        "INVALID_REFRESH_TOKEN",
        description="The refresh token is unknown, expired, already used or signed out.",
    )
    INVALID_ROWS = strawberry.enum_value(
        "INVALID_ROWS", description="Some import rows are invalid; nothing was saved."
    )
    UPSTREAM_ERROR = strawberry.enum_value(
        "UPSTREAM_ERROR", description="The outside service (Brickset) refused or failed."
    )
    UNKNOWN_CURRENCY = strawberry.enum_value(
        "UNKNOWN_CURRENCY",
        description="Not an ISO 4217 code, or a currency without exchange rates here.",
    )
    INVALID_RULE = strawberry.enum_value(
        "INVALID_RULE",
        description="An alert needs either `price` (with `currency`) or `changePct` (with "
        "`window`), not both and not neither.",
    )
    INVALID_WEBHOOK_URL = strawberry.enum_value(
        "INVALID_WEBHOOK_URL",
        description="The webhook URL is malformed, not http(s), or its host does not resolve.",
    )
    WEBHOOK_TARGET_REFUSED = strawberry.enum_value(
        "WEBHOOK_TARGET_REFUSED",
        description="The webhook's host is or resolves to a loopback, link-local or private "
        "address, which this server does not POST to.",
    )


@strawberry.interface(description="What every mutation error tells.")
class MutationError:
    code: ErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if one is.")
    message: str = strawberry.field(description="Human-readable explanation.")
