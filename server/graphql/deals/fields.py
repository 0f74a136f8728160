"""The root fields of deals: the `deals` query and the `dealFound` subscription."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated

import strawberry
from strawberry.types import Info

from server.collectors.principal import Scope
from server.events import Envelope, PriceTick
from server.graphql.collectors.access import account_id
from server.graphql.context import Context
from server.graphql.deals.types import Deal, DealConnection, DealFound
from server.graphql.errors import ClientError
from server.graphql.pagination import cursor_int, decode_cursor, encode_cursor, page_size
from server.graphql.subscription import SINCE, served
from server.graphql.types.connections import forward_page
from server.graphql.types.enums import Condition
from server.live.filters import DealCriteria
from server.store.deals import DealFilter, DealRow, deals_page
from server.store.watchlist import watched_items

DEFAULT_MIN_DISCOUNT_PCT = 20.0
MAX_THEMES = 50
_CURSOR = "deal"

MinDiscountArgument = Annotated[
    float,
    strawberry.argument(
        description="Only asks at least this many percent under the sold median "
        "(0 to 100; the boundary qualifies)."
    ),
]
DealConditionArgument = Annotated[
    Condition | None,
    strawberry.argument(description="Only this condition; null for both (each against its own)."),
]


def min_discount(value: float) -> Decimal:
    if not math.isfinite(value) or not 0 <= value <= 100:
        raise ClientError("INVALID_DISCOUNT", "minDiscountPct must lie between 0 and 100")
    return Decimal(repr(value))


def _cursor_position(cursor: str) -> tuple[Decimal, int]:
    discount, listing_id = decode_cursor(cursor, _CURSOR, 2)
    try:
        position = Decimal(discount) if isinstance(discount, str) else None
    except InvalidOperation:
        position = None
    if position is None or not position.is_finite():
        raise ClientError("INVALID_CURSOR", "malformed cursor")
    return position, cursor_int(listing_id)


def _cursor(row: DealRow) -> str:
    return encode_cursor(_CURSOR, str(row.discount_pct), row.listing.id)


@strawberry.type
class DealQuery:
    @strawberry.field(
        description="Current asks at least `minDiscountPct` % under their figure's sold "
        "median (counted sales of the last 30 days, same condition), biggest discount "
        "first; each with the spread of current asks across sources."
    )
    async def deals(
        self,
        info: Info[Context, None],
        min_discount_pct: MinDiscountArgument = DEFAULT_MIN_DISCOUNT_PCT,
        condition: DealConditionArgument = None,
        themes: Annotated[
            list[str] | None,
            strawberry.argument(
                description=f"Only figures of these themes (at most {MAX_THEMES})."
            ),
        ] = None,
        first: Annotated[
            int | None, strawberry.argument(description="Page size (default 20, at most 100).")
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="Deals after this cursor.")
        ] = None,
    ) -> DealConnection:
        size = page_size(first)
        if themes is not None and len(themes) > MAX_THEMES:
            raise ClientError("INVALID_ARGUMENTS", f"at most {MAX_THEMES} themes")
        deal_filter = DealFilter(
            min_discount_pct=min_discount(min_discount_pct),
            condition=condition.to_store() if condition else None,
            themes=tuple(themes) if themes is not None else None,
        )
        position = _cursor_position(after) if after is not None else None
        async with info.context.session_factory() as session:
            rows = await deals_page(
                session, deal_filter, after=position, limit=size + 1, now=datetime.now(UTC)
            )
        edges, page_info = forward_page(
            rows, size, node=lambda row: Deal(row=row), cursor=_cursor, had_cursor=after is not None
        )
        return DealConnection(edges=edges, page_info=page_info)


def _deal_found(envelope: Envelope) -> object:
    event = envelope.event
    assert isinstance(event, PriceTick)
    assert event.sold_median_usd is not None
    return DealFound(
        event_id=envelope.id, listing_id=event.listing_id, sold_median_usd=event.sold_median_usd
    )


@strawberry.type
class DealSubscription:
    @strawberry.subscription(
        description="Deals as they are stored: each newly stored ask at least "
        "`minDiscountPct` % under its figure's sold median at that moment. With "
        "`watchlistOnly`, only your watchlist items (figure and condition); that needs an "
        'access token or READ key in `connection_init` (`{"authorization": "Bearer ..."}`) '
        "and follows your watchlist as it was when you subscribed."
    )
    async def deal_found(
        self,
        info: Info[Context, None],
        min_discount_pct: MinDiscountArgument = DEFAULT_MIN_DISCOUNT_PCT,
        condition: DealConditionArgument = None,
        watchlist_only: Annotated[
            bool, strawberry.argument(description="Only figures on your watchlist.")
        ] = False,
        since: Annotated[str | None, SINCE] = None,
    ) -> AsyncIterator[DealFound]:
        minimum = min_discount(min_discount_pct)
        store_condition = condition.to_store().value if condition else None
        if not watchlist_only:
            return served(info, DealCriteria(minimum, store_condition), since, _deal_found)
        owner = account_id(info, Scope.READ)
        async with info.context.session_factory() as session:
            watched = await watched_items(session, owner)
        items = frozenset((str(minifigure_id), condition) for minifigure_id, condition in watched)
        criteria = DealCriteria(minimum, store_condition, items)
        return served(info, criteria, since, _deal_found, private_to=owner)
