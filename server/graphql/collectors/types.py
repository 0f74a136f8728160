"""The account side of the schema: the viewer, its API keys, a signed-in session."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from server.collectors.csv_export import holdings_csv, watchlist_csv
from server.collectors.portfolio import current_portfolio
from server.collectors.principal import Scope as StoreScope
from server.graphql.collectors.access import account_id
from server.graphql.collectors.alert_queries import viewer_alert_events, viewer_alerts
from server.graphql.collectors.alert_types import Alert, AlertEventConnection
from server.graphql.collectors.collection_types import Portfolio, WatchlistItem
from server.graphql.context import Context
from server.graphql.deals.types import SellerBundle
from server.graphql.errors import ClientError
from server.graphql.money import CurrencyArgument, currency_code
from server.graphql.node import to_global_id
from server.graphql.pagination import page_size
from server.graphql.types.node import Node
from server.models import ApiKey as ApiKeyRow
from server.store.accounts import account_by_id
from server.store.api_keys import api_keys_of
from server.store.fx_queries import UnknownRateError
from server.store.holdings import holdings_with_figures
from server.store.seller_bundles import seller_bundles
from server.store.watchlist import watchlist_rows

MAX_BUNDLES = 20


@strawberry.enum(description="What a credential may do.")
class Scope(Enum):
    READ = strawberry.enum_value("READ", description="Read your account, watchlist, portfolio.")
    WRITE = strawberry.enum_value(
        "WRITE", description="Change your watchlist and portfolio, manage API keys."
    )
    ADMIN = strawberry.enum_value(
        "ADMIN", description="Administer the catalog and syncs (admin accounts only)."
    )

    def to_store(self) -> StoreScope:
        return StoreScope[self.name]


@strawberry.type(description="An API key of yours; its secret was shown once, at creation.")
class ApiKey(Node):
    name: str = strawberry.field(description="Your label for it.")
    prefix: str = strawberry.field(
        description="The start of the key (`stk_<prefix>_...`), to recognise it by."
    )
    scopes: list[Scope] = strawberry.field(description="What it may do.")
    created_at: datetime = strawberry.field(description="When it was created.")
    last_used_at: datetime | None = strawberry.field(
        description="When it was last used (to the minute); null if never."
    )
    revoked_at: datetime | None = strawberry.field(
        description="When it was revoked; null while it works."
    )

    @classmethod
    def from_row(cls, row: ApiKeyRow) -> ApiKey:
        return cls(
            id=strawberry.ID(to_global_id("ApiKey", row.id)),
            name=row.name,
            prefix=row.prefix,
            scopes=[Scope[s] for s in row.scopes],
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            revoked_at=row.revoked_at,
        )


@strawberry.type(description="You: the account the request acts for.")
class Viewer:
    account_id: strawberry.Private[uuid.UUID]

    @strawberry.field(description="The account's global id.")
    def id(self, info: Info[Context, None]) -> strawberry.ID:
        account_id(info, StoreScope.READ)
        return strawberry.ID(to_global_id("Account", self.account_id))

    @strawberry.field(description="Your email address (lower-cased).")
    async def email(self, info: Info[Context, None]) -> str:
        async with info.context.session_factory() as session:
            account = await account_by_id(session, account_id(info, StoreScope.READ))
        assert account is not None  # tokens of deleted accounts fail earlier
        return account.email

    @strawberry.field(description="What the credential of this request may do.")
    def scopes(self, info: Info[Context, None]) -> list[Scope]:
        principal = info.context.principal
        assert principal is not None
        return [Scope[s.name] for s in StoreScope if principal.can(s)]

    @strawberry.field(description="Your API keys, revoked ones included, newest first.")
    async def api_keys(self, info: Info[Context, None]) -> list[ApiKey]:
        owner = account_id(info, StoreScope.READ)
        async with info.context.session_factory() as session:
            return [ApiKey.from_row(row) for row in await api_keys_of(session, [owner])]

    @strawberry.field(description="The minifigures you follow, newest first.")
    async def watchlist(self, info: Info[Context, None]) -> list[WatchlistItem]:
        owner = account_id(info, StoreScope.READ)
        async with info.context.session_factory() as session:
            return [WatchlistItem.from_row(row) for row in await watchlist_rows(session, owner)]

    @strawberry.field(
        description="Sellers whose current asks cover at least two of your watchlist items "
        "(figure and condition): one order, one shipping. Most items covered first, then "
        "the cheapest total."
    )
    async def seller_bundles(
        self,
        info: Info[Context, None],
        first: Annotated[
            int, strawberry.argument(description=f"How many (at most {MAX_BUNDLES}).")
        ] = 5,
    ) -> list[SellerBundle]:
        owner = account_id(info, StoreScope.READ)
        limit = page_size(first, MAX_BUNDLES)
        async with info.context.session_factory() as session:
            bundles = await seller_bundles(session, owner, limit=limit, now=datetime.now(UTC))
        return [SellerBundle(row=bundle) for bundle in bundles]

    @strawberry.field(description="Your holdings as CSV, in the columns importHoldingsCsv reads.")
    async def holdings_csv(self, info: Info[Context, None]) -> str:
        owner = account_id(info, StoreScope.READ)
        async with info.context.session_factory() as session:
            return holdings_csv(await holdings_with_figures(session, owner))

    @strawberry.field(description="Your watchlist as CSV, with last sale and changes.")
    async def watchlist_csv(self, info: Info[Context, None]) -> str:
        owner = account_id(info, StoreScope.READ)
        async with info.context.session_factory() as session:
            return watchlist_csv(await watchlist_rows(session, owner))

    @strawberry.field(description="What you own and what it is worth.")
    async def portfolio(
        self, info: Info[Context, None], currency: CurrencyArgument = "USD"
    ) -> Portfolio:
        owner = account_id(info, StoreScope.READ)
        code = currency_code(currency)
        async with info.context.session_factory() as session:
            try:
                values = await current_portfolio(session, owner, code, datetime.now(UTC).date())
            except UnknownRateError as error:
                raise ClientError("UNKNOWN_CURRENCY", str(error)) from error
        return Portfolio.from_values(values)

    @strawberry.field(description="Your price alerts, newest first.")
    async def alerts(self, info: Info[Context, None]) -> list[Alert]:
        return await viewer_alerts(info)

    @strawberry.field(description="Your alerts' firings, newest first.")
    async def alert_events(
        self,
        info: Info[Context, None],
        first: Annotated[
            int | None, strawberry.argument(description="Page size (default 20, at most 100).")
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="Firings after this cursor.")
        ] = None,
        alert_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this alert's firings.")
        ] = None,
    ) -> AlertEventConnection:
        return await viewer_alert_events(info, first, after, alert_id)


@strawberry.type(description="A signed-in session: send `accessToken` as a bearer credential.")
class AuthSession:
    access_token: str = strawberry.field(
        description="A short-lived credential: `Authorization: Bearer <accessToken>`."
    )
    refresh_token: str = strawberry.field(
        description="Trade it with refreshSession for a new session; usable once."
    )
    expires_at: datetime = strawberry.field(description="When the access token expires.")
    viewer: Viewer = strawberry.field(description="The account signed in.")
