"""Normalization: fig numbers, conditions, kinds, and prices converted to USD.

A price converts at the rate of its observation day (UTC), and the original amount,
currency and rate are kept for the audit trail.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from server.store.catalog import normalize_fig_num
from server.store.fx_queries import usd_per_unit_on_days
from server.store.listings import NewListing
from workers.pipeline.observation import Observation
from workers.pipeline.vocabulary import condition_of, kind_of

_CENT = Decimal("0.01")


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def observation_day(observation: Observation) -> date:
    return utc_day(observation.observed_at)


async def rates_for(
    session: AsyncSession, wanted: Iterable[tuple[str, date]]
) -> dict[tuple[str, date], Decimal]:
    """USD per unit for each (currency, day) that has a rate on or before that day."""
    days_by_currency: dict[str, set[date]] = defaultdict(set)
    for currency, day in wanted:
        days_by_currency[currency].add(day)
    rates: dict[tuple[str, date], Decimal] = {}
    for currency, days in sorted(days_by_currency.items()):
        found = await usd_per_unit_on_days(session, currency, sorted(days))
        rates.update(((currency, day), rate) for day, rate in found.items())
    return rates


def to_usd(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount * rate).quantize(_CENT, rounding=ROUND_HALF_EVEN)


def normalized(
    observation: Observation,
    *,
    minifigure_id: uuid.UUID,
    rate: Decimal,
    excluded_reason: str | None,
    confidence: float,
) -> NewListing:
    return NewListing(
        minifigure_id=minifigure_id,
        source=observation.source,
        external_id=observation.external_id,
        observed_at=observation.observed_at,
        kind=kind_of(observation.kind),
        condition=condition_of(observation.condition),
        price_usd=to_usd(observation.price, rate),
        original_price=observation.price,
        original_currency=observation.currency,
        fx_rate=rate,
        quantity=observation.quantity,
        shipping_usd=None if observation.shipping is None else to_usd(observation.shipping, rate),
        seller_name=observation.seller_name,
        seller_country=(observation.seller_country or "").upper()[:2] or None,
        confidence=confidence,
        excluded_reason=excluded_reason,
        raw=observation.raw,
    )


def fig_num_of(observation: Observation) -> str:
    return normalize_fig_num(observation.fig_num)
