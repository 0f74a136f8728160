"""Watchlist items, holdings and the portfolio as the API shows them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry.types import Info

from server.collectors.portfolio import (
    MAX_HISTORY_DAYS,
    HoldingValue,
    portfolio_history,
)
from server.collectors.portfolio import (
    Portfolio as PortfolioValues,
)
from server.collectors.principal import Scope as StoreScope
from server.graphql.collectors.access import account_id
from server.graphql.context import Context
from server.graphql.errors import ClientError
from server.graphql.money import MONEY, CurrencyArgument, money
from server.graphql.node import to_global_id
from server.graphql.types.enums import Condition, PriceInterval
from server.graphql.types.minifigure import Minifigure
from server.graphql.types.node import Node
from server.models import Holding as HoldingRow
from server.store.fx_queries import UnknownRateError
from server.store.watchlist import WatchlistRow

DEFAULT_HISTORY_DAYS = 90


def _today() -> date:
    return datetime.now(UTC).date()


def _amount(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@strawberry.type(description="A minifigure you follow, with its latest sale and price moves.")
class WatchlistItem(Node):
    row: strawberry.Private[WatchlistRow]
    condition: Condition = strawberry.field(description="The condition you follow.")
    added_at: datetime = strawberry.field(description="When you added it.")
    minifigure: Minifigure = strawberry.field(description="The minifigure.")
    last_sale_at: datetime | None = strawberry.field(
        description="When it last sold in this condition; null if never."
    )
    change_7d_pct: float | None = strawberry.field(
        name="change7dPct",
        description="Percent change of the daily median over 7 days; null with under 2 days.",
    )
    change_30d_pct: float | None = strawberry.field(
        name="change30dPct",
        description="Percent change of the daily median over 30 days; null with under 2 days.",
    )

    @strawberry.field(graphql_type=MONEY, description="Its latest sale price in this condition.")
    def last_sale_price(
        self, info: Info[Context, None], currency: CurrencyArgument = "USD"
    ) -> object:
        at = self.row.last_sale_at
        return money(info, self.row.last_sale_usd, at.date() if at else _today(), currency)

    @classmethod
    def from_row(cls, row: WatchlistRow) -> WatchlistItem:
        return cls(
            row=row,
            id=strawberry.ID(to_global_id("WatchlistItem", row.item.id)),
            condition=Condition(row.item.condition),
            added_at=row.item.created_at,
            minifigure=Minifigure.from_row(row.minifigure),
            last_sale_at=row.last_sale_at,
            change_7d_pct=_amount(row.change_7d_pct),
            change_30d_pct=_amount(row.change_30d_pct),
        )


@strawberry.type(description="Units of a minifigure you own, as you recorded them.")
class Holding(Node):
    row: strawberry.Private[HoldingRow]
    condition: Condition = strawberry.field(description="The condition of these units.")
    quantity: int = strawberry.field(description="How many units.")
    unit_cost: float = strawberry.field(description="What one unit cost, in `currency`.")
    currency: str = strawberry.field(description="The currency of `unitCost` (ISO 4217).")
    acquired_on: date = strawberry.field(description="When you got them.")

    @strawberry.field(description="The minifigure.")
    async def minifigure(self, info: Info[Context, None]) -> Minifigure:
        row = await info.context.loaders.minifigure_by_id.load(self.row.minifigure_id)
        assert row is not None  # holdings go with their minifigure
        return Minifigure.from_row(row)

    @classmethod
    def from_row(cls, row: HoldingRow) -> Holding:
        return cls(
            row=row,
            id=strawberry.ID(to_global_id("Holding", row.id)),
            condition=Condition(row.condition),
            quantity=row.quantity,
            unit_cost=float(row.unit_cost),
            currency=row.currency,
            acquired_on=row.acquired_on,
        )


@strawberry.type(description="A holding valued in the portfolio's currency.")
class PortfolioHolding:
    holding: Holding = strawberry.field(description="The holding as recorded.")
    minifigure: Minifigure = strawberry.field(description="Its minifigure.")
    unit_price: float | None = strawberry.field(
        description="One unit's price now (last sale); null when it never sold."
    )
    value: float = strawberry.field(description="quantity x unitPrice (0 when unpriced).")
    cost: float = strawberry.field(description="What the units cost, at purchase-day rates.")
    profit_loss: float = strawberry.field(description="value - cost.")
    profit_loss_pct: float | None = strawberry.field(
        description="profitLoss / cost in percent; null when the cost is 0."
    )

    @classmethod
    def from_value(cls, held: HoldingValue) -> PortfolioHolding:
        v = held.valued
        return cls(
            holding=Holding.from_row(held.holding),
            minifigure=Minifigure.from_row(held.minifigure),
            unit_price=_amount(v.unit_price),
            value=float(v.value),
            cost=float(v.cost),
            profit_loss=float(v.profit_loss),
            profit_loss_pct=_amount(v.profit_loss_pct),
        )


@strawberry.type(description="The portfolio's value and cost on one day.")
class PortfolioPoint:
    day: date = strawberry.field(description="The day (the last of its bucket).")
    value: float = strawberry.field(description="Value of what was held that day, at its prices.")
    cost: float = strawberry.field(description="Cost of what was held that day.")
    profit_loss: float = strawberry.field(description="value - cost.")


@strawberry.type(description="What your holdings are worth, in one currency.")
class Portfolio:
    values: strawberry.Private[PortfolioValues]
    currency: str = strawberry.field(description="The currency of every amount here.")
    value: float = strawberry.field(
        description="Sum of the holdings at their last sale prices, at today's rate."
    )
    cost: float = strawberry.field(
        description="Sum of what the holdings cost, each at its purchase day's rate."
    )
    profit_loss: float = strawberry.field(description="value - cost.")
    profit_loss_pct: float | None = strawberry.field(
        description="profitLoss / cost in percent; null when the cost is 0."
    )
    holdings: list[PortfolioHolding] = strawberry.field(
        description="Every holding with its own value and P/L, oldest purchase first."
    )

    @strawberry.field(
        description="The value day by day (or at the end of each week or month) at each "
        "day's prices: the daily median snapshot on or before that day, that day's rate."
    )
    async def history(
        self,
        info: Info[Context, None],
        interval: Annotated[
            PriceInterval, strawberry.argument(description="One point per day, week or month.")
        ] = PriceInterval.DAY,
        from_: Annotated[
            date | None,
            strawberry.argument(name="from", description="First day (default: 90 days ago)."),
        ] = None,
        to: Annotated[
            date | None, strawberry.argument(description="Last day (default: today, UTC).")
        ] = None,
    ) -> list[PortfolioPoint]:
        owner = account_id(info, StoreScope.READ)
        last_day = to or _today()
        first_day = from_ or last_day - timedelta(days=DEFAULT_HISTORY_DAYS - 1)
        if first_day > last_day:
            raise ClientError("INVALID_RANGE", "`from` must not be after `to`")
        if (last_day - first_day).days >= MAX_HISTORY_DAYS:
            raise ClientError("RANGE_TOO_LARGE", f"at most {MAX_HISTORY_DAYS} days per history")
        async with info.context.session_factory() as session:
            try:
                points = await portfolio_history(
                    session,
                    owner,
                    self.currency,
                    first_day=first_day,
                    last_day=last_day,
                    interval=interval.to_store(),
                )
            except UnknownRateError as error:
                raise ClientError("UNKNOWN_CURRENCY", str(error)) from error
        return [
            PortfolioPoint(
                day=p.day,
                value=float(p.value),
                cost=float(p.cost),
                profit_loss=float(p.value - p.cost),
            )
            for p in points
        ]

    @property
    def held_minifigure_ids(self) -> frozenset[str]:
        return frozenset(str(h.holding.minifigure_id) for h in self.values.holdings)

    @classmethod
    def from_values(cls, values: PortfolioValues) -> Portfolio:
        t = values.total
        return cls(
            values=values,
            currency=values.currency,
            value=float(t.value),
            cost=float(t.cost),
            profit_loss=float(t.profit_loss),
            profit_loss_pct=_amount(t.profit_loss_pct),
            holdings=[PortfolioHolding.from_value(h) for h in values.holdings],
        )
