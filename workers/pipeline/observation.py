"""What a source adapter hands to the pipeline: one price as the marketplace reported it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class Observation:
    """Raw values, still in the marketplace's currency and vocabulary (conditions like "N")."""

    source: str
    external_id: str
    fig_num: str
    observed_at: datetime
    kind: str
    condition: str
    price: Decimal
    currency: str
    quantity: int = 1
    shipping: Decimal | None = None
    seller_name: str | None = None
    seller_country: str | None = None
    title: str | None = None
    raw: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, str, datetime]:
        """The identity the store dedupes on."""
        return (self.source, self.external_id, self.observed_at)


@dataclass(frozen=True, slots=True)
class Rejection:
    """An observation the pipeline refused, and why (counted on the sync run)."""

    observation: Observation
    reason: str
