"""The collectors' root query fields."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from server.graphql.collectors.types import Viewer
from server.graphql.context import Context
from server.graphql.errors import ClientError


@strawberry.type
class CollectorQuery:
    @strawberry.field(
        description="You, when the request carries an account's access token or API key; "
        "null when anonymous (or with the operator key, which belongs to no account). "
        "A refused credential is an error: TOKEN_EXPIRED or INVALID_CREDENTIALS."
    )
    def viewer(self, info: Info[Context, None]) -> Viewer | None:
        principal = info.context.principal
        if principal is None and info.context.credential_error is not None:
            raise ClientError(info.context.credential_error, "the bearer credential was refused")
        if principal is None or principal.account_id is None:
            return None
        return Viewer(account_id=principal.account_id)
