"""Small builders for valid records; tests override only what they are about."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from server.models import Condition, ListingKind
from server.store.catalog import CatalogEntry
from server.store.listings import NewListing


def catalog_entry(fig_num: str = "sw0001a", **overrides: Any) -> CatalogEntry:
    values: dict[str, Any] = {
        "fig_num": fig_num,
        "name": "Luke Skywalker (Tatooine)",
        "theme": "Star Wars",
        "year_released": 1999,
        "num_parts": 4,
    }
    return CatalogEntry(**(values | overrides))


def listing(minifigure_id: uuid.UUID, external_id: str = "bl-1", **overrides: Any) -> NewListing:
    values: dict[str, Any] = {
        "minifigure_id": minifigure_id,
        "source": "bricklink",
        "external_id": external_id,
        "observed_at": datetime(2026, 11, 1, 12, 0, tzinfo=UTC),
        "kind": ListingKind.SOLD,
        "condition": Condition.USED,
        "price_usd": Decimal("12.50"),
        "original_price": Decimal("11.40"),
        "original_currency": "EUR",
        "fx_rate": Decimal("1.0965"),
    }
    return NewListing(**(values | overrides))
