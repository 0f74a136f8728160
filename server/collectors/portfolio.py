"""A portfolio now and over time: holdings, prices and exchange rates put together.

Statements per call depend on the number of distinct currencies, never on the number of
holdings: holdings with their figures, prices for all of them, one rate lookup per currency.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from server.collectors.valuation import Position, Valued, total, valued
from server.models import Condition, Holding, Minifigure
from server.store.fx_queries import UnknownRateError, usd_per_unit_on_days
from server.store.holdings import holdings_with_figures
from server.store.portfolio_prices import daily_medians
from server.store.prices_queries import Interval, latest_prices

MAX_HISTORY_DAYS = 3660


@dataclass(frozen=True, slots=True)
class HoldingValue:
    holding: Holding
    minifigure: Minifigure
    valued: Valued


@dataclass(frozen=True, slots=True)
class Portfolio:
    currency: str
    holdings: list[HoldingValue]
    total: Valued


@dataclass(frozen=True, slots=True)
class PortfolioPoint:
    day: date
    value: Decimal
    cost: Decimal


class Rates:
    """Exchange rates of the days asked for, loaded one statement per currency."""

    def __init__(self) -> None:
        self._rates: dict[tuple[str, date], Decimal] = {}

    async def load(self, session: AsyncSession, currency: str, days: Iterable[date]) -> None:
        wanted = sorted(set(days))
        found = await usd_per_unit_on_days(session, currency, wanted)
        for day in wanted:
            if day not in found:
                raise UnknownRateError(currency, day)
            self._rates[(currency, day)] = found[day]

    def __call__(self, currency: str, day: date) -> Decimal:
        return self._rates[(currency, day)]


def position_of(holding: Holding) -> Position:
    return Position(
        holding_id=holding.id,
        minifigure_id=holding.minifigure_id,
        condition=Condition(holding.condition),
        quantity=holding.quantity,
        unit_cost=holding.unit_cost,
        currency=holding.currency,
        acquired_on=holding.acquired_on,
    )


async def _load_rates(
    session: AsyncSession,
    rates: Rates,
    positions: list[Position],
    currency: str,
    valuation_days: Iterable[date],
) -> None:
    """The portfolio currency on the valuation days and the purchase days, each holding's
    currency on its purchase day: one statement per currency."""
    by_currency: dict[str, set[date]] = {currency: set(valuation_days)}
    for p in positions:
        by_currency.setdefault(p.currency, set()).add(p.acquired_on)
        by_currency[currency].add(p.acquired_on)
    for code, days in by_currency.items():
        if days:
            await rates.load(session, code, days)


async def current_portfolio(
    session: AsyncSession, account_id: uuid.UUID, currency: str, today: date
) -> Portfolio:
    """Valued at each figure's last sale (its latest daily median when it has no sale)."""
    rows = await holdings_with_figures(session, account_id)
    positions = [position_of(holding) for holding, _ in rows]
    pairs = sorted({(p.minifigure_id, p.condition) for p in positions})
    latest = await latest_prices(session, pairs) if pairs else {}
    rates = Rates()
    await _load_rates(session, rates, positions, currency, [today])
    values = []
    for (holding, figure), position in zip(rows, positions, strict=True):
        prices = latest.get((position.minifigure_id, position.condition))
        price = prices and (prices.last_sale_usd or prices.median_usd)
        values.append(
            HoldingValue(holding, figure, valued(position, price, currency, today, rates))
        )
    return Portfolio(currency, values, total([v.valued for v in values]))


def bucket_ends(first_day: date, last_day: date, interval: Interval) -> list[date]:
    """The last day of each bucket in the range (the range's last day closes the last one)."""
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]

    def closes(day: date) -> bool:
        following = day + timedelta(days=1)
        match interval:
            case Interval.DAY:
                return True
            case Interval.WEEK:
                return following.weekday() == 0
            case Interval.MONTH:
                return following.day == 1

    return [day for day in days if day == last_day or closes(day)]


async def portfolio_history(
    session: AsyncSession,
    account_id: uuid.UUID,
    currency: str,
    *,
    first_day: date,
    last_day: date,
    interval: Interval,
) -> list[PortfolioPoint]:
    """The value at each bucket's last day: holdings acquired by then, at that day's
    median (the latest snapshot on or before it) and that day's rate; the cost of the same
    holdings at their purchase-day rates."""
    rows = await holdings_with_figures(session, account_id)
    positions = [position_of(holding) for holding, _ in rows]
    days = bucket_ends(first_day, last_day, interval)
    pairs = sorted({(p.minifigure_id, p.condition) for p in positions})
    medians = await daily_medians(session, pairs, first_day, last_day)
    rates = Rates()
    await _load_rates(session, rates, positions, currency, days)
    points = []
    for day in days:
        held = [p for p in positions if p.acquired_on <= day]
        parts = [
            valued(
                p, medians.get((p.minifigure_id, p.condition), {}).get(day), currency, day, rates
            )
            for p in held
        ]
        summed = total(parts)
        points.append(PortfolioPoint(day, summed.value, summed.cost))
    return points
