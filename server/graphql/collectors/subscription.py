"""portfolioValue: the viewer's portfolio again each time a held figure sells.

An audience of the live hub's route index: it is filed under the figures held when the
value was last computed, and takes their counted sales. Sales that arrive while a value is
being computed are folded into the next one (each recomputes the whole portfolio, a
handful of statements whatever the number of holdings), so a subscriber holds at most one
pending event however fast sales come.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncGenerator
from datetime import UTC, datetime

import strawberry
from strawberry.types import Info

from server import metrics
from server.collectors.portfolio import current_portfolio
from server.collectors.principal import Scope
from server.events import Envelope, PriceTick
from server.graphql.collectors.access import account_id
from server.graphql.collectors.collection_types import Portfolio
from server.graphql.context import Context
from server.graphql.errors import INTERNAL_ERROR_MESSAGE, ClientError
from server.graphql.money import CurrencyArgument, currency_code
from server.live.filters import TickCriteria
from server.live.hub import LiveHub
from server.models import ListingKind
from server.store.fx_queries import UnknownRateError

logger = logging.getLogger("server.graphql")


@strawberry.type(description="The portfolio as of a sale of one of its figures.")
class PortfolioUpdate:
    event_id: str | None = strawberry.field(
        description="The sale's event id; null for the first value, sent at once."
    )
    portfolio: Portfolio = strawberry.field(description="The portfolio now.")


class _HeldSales:
    """Counted sales of the figures held at the last computation, latest first."""

    def __init__(self, hub: LiveHub) -> None:
        self.hub = hub
        self.criteria = TickCriteria(minifigure_ids=frozenset(), kind=ListingKind.SOLD.value)
        self.latest: Envelope | None = None
        self.arrived = asyncio.Event()
        hub.routes.add(self)
        hub.subscribers += 1
        metrics.SUBSCRIPTIONS.inc()

    def hold(self, minifigure_ids: frozenset[str]) -> None:
        self.hub.routes.remove(self)
        self.criteria = TickCriteria(minifigure_ids=minifigure_ids, kind=ListingKind.SOLD.value)
        self.hub.routes.add(self)

    def offer(self, envelope: Envelope) -> None:
        if isinstance(envelope.event, PriceTick) and envelope.event.excluded_reason is None:
            self.latest = envelope
            self.arrived.set()

    async def next(self) -> Envelope:
        await self.arrived.wait()
        self.arrived.clear()
        latest, self.latest = self.latest, None
        assert latest is not None
        return latest

    def close(self) -> None:
        self.hub.routes.remove(self)
        self.hub.subscribers -= 1
        metrics.SUBSCRIPTIONS.dec()


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
        held_sales = _HeldSales(hub)
        try:
            portfolio = await _valued(info, owner, code)
            held_sales.hold(portfolio.held_minifigure_ids)
            yield PortfolioUpdate(event_id=None, portfolio=portfolio)
            while True:
                envelope = await held_sales.next()
                portfolio = await _valued(info, owner, code)
                held_sales.hold(portfolio.held_minifigure_ids)
                yield PortfolioUpdate(event_id=envelope.id, portfolio=portfolio)
        except (ClientError, GeneratorExit, asyncio.CancelledError):
            raise
        except Exception as error:
            logger.exception(
                "unexpected error in portfolioValue (request id %s)", info.context.request_id
            )
            raise ClientError("INTERNAL_SERVER_ERROR", INTERNAL_ERROR_MESSAGE) from error
        finally:
            held_sales.close()
