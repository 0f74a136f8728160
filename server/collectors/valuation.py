"""Portfolio arithmetic, apart from I/O: values at today's price and rate, costs at the rate
of the purchase day, both in the portfolio's currency.

A holding's value is quantity x the figure's last sale price (USD) converted at today's
rate; its cost is quantity x unit cost converted from the holding's currency at the rate of
the day it was acquired. Amounts are rounded to cents per holding; totals add the rounded
amounts, so a table of holdings adds up to its total.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from server.models import Condition

CENTS = Decimal("0.01")
# usd_per_unit(currency, day): how many US dollars one unit of the currency was worth.
RateOf = Callable[[str, date], Decimal]


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENTS, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True, slots=True)
class Position:
    holding_id: uuid.UUID
    minifigure_id: uuid.UUID
    condition: Condition
    quantity: int
    unit_cost: Decimal
    currency: str
    acquired_on: date


@dataclass(frozen=True, slots=True)
class Valued:
    unit_price: Decimal | None  # None: no sale known yet, so no value
    value: Decimal
    cost: Decimal

    @property
    def profit_loss(self) -> Decimal:
        return self.value - self.cost

    @property
    def profit_loss_pct(self) -> Decimal | None:
        return cents(self.profit_loss / self.cost * 100) if self.cost else None


def cost_in(position: Position, currency: str, rate: RateOf) -> Decimal:
    day = position.acquired_on
    per_unit = position.unit_cost * rate(position.currency, day) / rate(currency, day)
    return cents(per_unit * position.quantity)


def value_in(
    position: Position, price_usd: Decimal | None, currency: str, day: date, rate: RateOf
) -> tuple[Decimal | None, Decimal]:
    """(unit price, value) in `currency` at the rate of `day`; unpriced counts as zero."""
    if price_usd is None:
        return None, Decimal("0.00")
    unit_price = price_usd / rate(currency, day)
    return cents(unit_price), cents(unit_price * position.quantity)


def valued(
    position: Position, price_usd: Decimal | None, currency: str, day: date, rate: RateOf
) -> Valued:
    unit_price, value = value_in(position, price_usd, currency, day, rate)
    return Valued(unit_price, value, cost_in(position, currency, rate))


def total(parts: Sequence[Valued]) -> Valued:
    return Valued(
        None,
        sum((p.value for p in parts), Decimal("0.00")),
        sum((p.cost for p in parts), Decimal("0.00")),
    )
