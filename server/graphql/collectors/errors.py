"""One error shape for every collectors mutation: a code, the input field at fault, a message."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

if TYPE_CHECKING:
    from server.graphql.collectors.import_mutations import ImportRowPreview


@strawberry.enum(description="Why a collectors mutation did nothing.")
class CollectorErrorCode(Enum):
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
    NOT_FOUND = strawberry.enum_value(
        "NOT_FOUND", description="No such object among yours (see `field`)."
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


@strawberry.interface(description="What every collectors mutation error tells.")
class CollectorError:
    code: CollectorErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if one is.")
    message: str = strawberry.field(description="Human-readable explanation.")


@strawberry.type(description="A sign-up, sign-in, refresh or sign-out did nothing.")
class AuthError(CollectorError):
    pass


@strawberry.type(description="An API key change did nothing.")
class ApiKeyError(CollectorError):
    pass


@strawberry.type(description="A watchlist change did nothing.")
class WatchlistError(CollectorError):
    pass


@strawberry.type(description="A holding change did nothing.")
class HoldingError(CollectorError):
    pass


@strawberry.type(description="An import saved nothing.")
class HoldingsImportError(CollectorError):
    rows: list[
        Annotated[ImportRowPreview, strawberry.lazy("server.graphql.collectors.import_mutations")]
    ] = strawberry.field(
        default_factory=list, description="With INVALID_ROWS: the rows with problems."
    )


@strawberry.type(description="An alert change did nothing.")
class AlertError(CollectorError):
    pass
