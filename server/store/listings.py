"""Price observations: idempotent bulk insert and time-range reads."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Condition, ListingKind
from server.store.errors import InvalidRecordError, UnknownMinifigureError

_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True, slots=True)
class NewListing:
    """A validated, normalized observation ready to store (prices already in USD)."""

    minifigure_id: uuid.UUID
    source: str
    external_id: str
    observed_at: datetime
    kind: ListingKind
    condition: Condition
    price_usd: Decimal
    original_price: Decimal
    original_currency: str
    fx_rate: Decimal
    quantity: int = 1
    shipping_usd: Decimal | None = None
    seller_name: str | None = None
    seller_country: str | None = None
    confidence: float = 1.0
    excluded_reason: str | None = None
    raw: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, str, datetime]:
        """The identity the store dedupes on."""
        return (self.source, self.external_id, self.observed_at)

    def __post_init__(self) -> None:
        if not self.external_id:
            raise InvalidRecordError("external_id", "must not be empty")
        if self.observed_at.tzinfo is None:
            raise InvalidRecordError("observed_at", "must carry a time zone")
        if self.quantity <= 0:
            raise InvalidRecordError("quantity", f"must be positive, got {self.quantity}")
        for name in ("price_usd", "original_price"):
            value: Decimal = getattr(self, name)
            if not value.is_finite() or value < 0:
                raise InvalidRecordError(name, f"must be a non-negative amount, got {value}")
        if self.shipping_usd is not None and self.shipping_usd < 0:
            raise InvalidRecordError("shipping_usd", "must not be negative")
        if not self.fx_rate.is_finite() or self.fx_rate <= 0:
            raise InvalidRecordError("fx_rate", f"must be positive, got {self.fx_rate}")
        if not _CURRENCY.match(self.original_currency):
            raise InvalidRecordError(
                "original_currency", f"{self.original_currency!r} is not an ISO 4217 code"
            )
        if not 0 <= self.confidence <= 1:
            raise InvalidRecordError("confidence", "must lie between 0 and 1")


@dataclass(frozen=True, slots=True)
class StoredListing:
    id: int
    source: str
    external_id: str
    observed_at: datetime


# One statement for a whole batch: column arrays unnested server-side keep the
# parameter count fixed (asyncpg caps a statement at 32,767 parameters).
_INSERT_BATCH = text(
    """
    INSERT INTO price_listings (
        minifigure_id, source, external_id, observed_at, kind, condition, quantity,
        price_usd, shipping_usd, original_price, original_currency, fx_rate,
        seller_name, seller_country, confidence, excluded_reason, raw
    )
    SELECT m, s, e, o, k, c, q, p, sh, op, oc, fx, sn, sc, cf, ex, r::jsonb
    FROM unnest(
        CAST(:minifigure_id AS uuid[]), CAST(:source AS text[]), CAST(:external_id AS text[]),
        CAST(:observed_at AS timestamptz[]), CAST(:kind AS text[]), CAST(:condition AS text[]),
        CAST(:quantity AS integer[]), CAST(:price_usd AS numeric[]),
        CAST(:shipping_usd AS numeric[]), CAST(:original_price AS numeric[]),
        CAST(:original_currency AS text[]), CAST(:fx_rate AS numeric[]),
        CAST(:seller_name AS text[]), CAST(:seller_country AS text[]),
        CAST(:confidence AS float8[]), CAST(:excluded_reason AS text[]), CAST(:raw AS text[])
    ) AS batch(m, s, e, o, k, c, q, p, sh, op, oc, fx, sn, sc, cf, ex, r)
    ON CONFLICT ON CONSTRAINT uq_price_listings_dedupe DO NOTHING
    RETURNING id, source, external_id, observed_at
    """
)

_LISTING_FK = "fk_price_listings_minifigure_id_minifigures"


async def insert_listings(
    session: AsyncSession, listings: Sequence[NewListing]
) -> list[StoredListing]:
    """Store new observations; ones already stored (same source, id and time) are skipped.

    Returns the rows actually inserted. Raises UnknownMinifigureError, writing nothing,
    when any listing names a minifigure that does not exist.
    """
    if not listings:
        return []
    wanted = {listing.minifigure_id for listing in listings}
    known = await session.scalars(
        text("SELECT id FROM minifigures WHERE id = ANY(CAST(:ids AS uuid[]))"),
        {"ids": list(wanted)},
    )
    missing = wanted - set(known)
    if missing:
        raise UnknownMinifigureError(missing)
    return await insert_known_listings(session, listings)


async def insert_known_listings(
    session: AsyncSession, listings: Sequence[NewListing]
) -> list[StoredListing]:
    """`insert_listings` for minifigures the caller read in this transaction: no check
    first. One deleted since still raises UnknownMinifigureError (from the foreign key)."""
    if not listings:
        return []
    columns: dict[str, list[Any]] = {
        "minifigure_id": [],
        "source": [],
        "external_id": [],
        "observed_at": [],
        "kind": [],
        "condition": [],
        "quantity": [],
        "price_usd": [],
        "shipping_usd": [],
        "original_price": [],
        "original_currency": [],
        "fx_rate": [],
        "seller_name": [],
        "seller_country": [],
        "confidence": [],
        "excluded_reason": [],
        "raw": [],
    }
    for listing in listings:
        for name, values in columns.items():
            value = getattr(listing, name)
            if name == "raw" and value is not None:
                value = json.dumps(value)
            values.append(value)
    try:
        result = await session.execute(_INSERT_BATCH, columns)
    except IntegrityError as error:
        # A minifigure deleted since it was checked (or read) in this transaction.
        if _LISTING_FK in str(error.orig):
            raise UnknownMinifigureError({lst.minifigure_id for lst in listings}) from error
        raise
    return [StoredListing(*row) for row in result]


_DELETE_BY_KEYS = text(
    """
    DELETE FROM price_listings AS l
    USING unnest(CAST(:sources AS text[]), CAST(:external_ids AS text[]),
                 CAST(:observed_at AS timestamptz[])) AS k(source, external_id, observed_at)
    WHERE l.source = k.source AND l.external_id = k.external_id
      AND l.observed_at = k.observed_at
    RETURNING l.minifigure_id, (l.observed_at AT TIME ZONE 'UTC')::date
    """
)


async def delete_listings(
    session: AsyncSession, keys: Sequence[tuple[str, str, datetime]]
) -> set[tuple[uuid.UUID, date]]:
    """Deletes the listings with these (source, external_id, observed_at) keys; returns
    the (minifigure, day) pairs they covered (their snapshots need recomputing)."""
    if not keys:
        return set()
    result = await session.execute(
        _DELETE_BY_KEYS,
        {
            "sources": [k[0] for k in keys],
            "external_ids": [k[1] for k in keys],
            "observed_at": [k[2] for k in keys],
        },
    )
    return {(row[0], row[1]) for row in result}
