"""Structural checks: an observation that fails one is rejected, never stored."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from server.store.catalog import normalize_fig_num
from server.store.errors import InvalidRecordError
from workers.pipeline.observation import Observation
from workers.pipeline.vocabulary import CONDITIONS, KINDS

_CURRENCY = re.compile(r"^[A-Z]{3}$")
# Clocks drift and time zones confuse marketplaces; beyond this a date is simply wrong.
_FUTURE_TOLERANCE = timedelta(days=1)
# No minifigure sells for this much; a value above it is a parsing error upstream.
_MAX_PRICE = 1_000_000


def rejection_reason(observation: Observation, now: datetime) -> str | None:
    """Why the observation cannot be stored, or None when it can."""
    if not observation.external_id:
        return "missing_external_id"
    try:
        normalize_fig_num(observation.fig_num)
    except InvalidRecordError:
        return "invalid_fig_num"
    if observation.observed_at.tzinfo is None:
        return "naive_timestamp"
    if observation.observed_at > now + _FUTURE_TOLERANCE:
        return "future_timestamp"
    if observation.kind.upper() not in KINDS:
        return "unknown_kind"
    if observation.condition.strip().lower() not in CONDITIONS:
        return "unknown_condition"
    if not observation.price.is_finite() or not 0 < observation.price < _MAX_PRICE:
        return "invalid_price"
    if observation.shipping is not None and (
        not observation.shipping.is_finite() or observation.shipping < 0
    ):
        return "invalid_shipping"
    if not _CURRENCY.match(observation.currency):
        return "invalid_currency"
    if observation.quantity <= 0:
        return "invalid_quantity"
    return None
