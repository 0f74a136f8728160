"""portfolioValue: the viewer's portfolio again each time a held figure sells.

Built on the live hub's public interface (`follow` with an event filter): the filter lets
through counted sales of the figures held when the value was last computed, and each one
recomputes the portfolio (a handful of statements, whatever the number of holdings).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncGenerator
from datetime import UTC, datetime

import strawberry
from strawberry.types import Info

from server.collectors.portfolio import current_portfolio
from server.collectors.principal import Scope
from server.events import Event, PriceTick
from server.graphql.collectors.access import account_id
from server.graphql.collectors.collection_types import Portfolio
from server.graphql.context import Context
from server.graphql.errors import INTERNAL_ERROR_MESSAGE, ClientError
from server.graphql.money import CurrencyArgument, currency_code
from server.live.follow import follow
from server.live.subscriber import SlowConsumerError
from server.models import ListingKind
from server.store.fx import UnknownRateError

logger = logging.getLogger("server.graphql")


@strawberry.type(description="The portfolio as of a sale of one of its figures.")
class PortfolioUpdate:
    event_id: str | None = strawberry.field(
        description="The sale's event id; null for the first value, sent at once."
    )
    portfolio: Portfolio = strawberry.field(description="The portfolio now.")


class _HeldSales:
    """Accepts counted sales of the figures held at the last computation."""

    def __init__(self) -> None:
        self.minifigure_ids: frozenset[str] = frozenset()

    def __call__(self, event: Event) -> bool:
        return (
            isinstance(event, PriceTick)
            and event.kind == ListingKind.SOLD.value
            and event.excluded_reason is None
            and event.minifigure_id in self.minifigure_ids
        )


async def _valued(info: Info[Context, None], owner: uuid.UUID, currency: str) -> Portfolio:
    async with info.context.session_factory() as session:
        try:
            values = await current_portfolio(session, owner, currency, datetime.now(UTC).date())
        except UnknownRateError as error:
            raise ClientError("UNKNOWN_CURRENCY", str(error)) from error
    return Portfolio.from_values(values)


@strawberry.type
class CollectorSubscription:
    @strawberry.subscription(
        description="Your portfolio's value now, then again whenever a figure you hold gets "
        "a new (counted) sale. Needs an access token or READ key in `connection_init` "
        '(`{"authorization": "Bearer ..."}`).'
    )
    async def portfolio_value(
        self, info: Info[Context, None], currency: CurrencyArgument = "USD"
    ) -> AsyncGenerator[PortfolioUpdate, None]:
        owner = account_id(info, Scope.READ)
        code = currency_code(currency)
        hub = info.context.live
        if hub is None:
            raise ClientError("LIVE_UNAVAILABLE", "live updates are not enabled on this server")
        held_sales = _HeldSales()
        try:
            portfolio = await _valued(info, owner, code)
            held_sales.minifigure_ids = portfolio.held_minifigure_ids
            yield PortfolioUpdate(event_id=None, portfolio=portfolio)
            async for envelope in follow(hub, held_sales, None):
                portfolio = await _valued(info, owner, code)
                held_sales.minifigure_ids = portfolio.held_minifigure_ids
                yield PortfolioUpdate(event_id=envelope.id, portfolio=portfolio)
        except SlowConsumerError:
            raise ClientError("SLOW_CONSUMER", "too far behind; subscribe again") from None
        except (ClientError, GeneratorExit, asyncio.CancelledError):
            raise
        except Exception as error:
            logger.exception(
                "unexpected error in portfolioValue (request id %s)", info.context.request_id
            )
            raise ClientError("INTERNAL_SERVER_ERROR", INTERNAL_ERROR_MESSAGE) from error
