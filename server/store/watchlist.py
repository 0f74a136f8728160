"""A collector's watchlist: minifigures (in a condition) they follow, with their price moves."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, case, delete, select, true
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Condition, ListingKind, Minifigure, PriceListing, WatchlistItem
from server.store.price_measures import PriceWindow, change_pct


@dataclass(frozen=True, slots=True)
class WatchlistRow:
    item: WatchlistItem
    minifigure: Minifigure
    last_sale_usd: Decimal | None
    last_sale_at: datetime | None
    change_7d_pct: Decimal | None
    change_30d_pct: Decimal | None


async def add_to_watchlist(
    session: AsyncSession, account_id: uuid.UUID, minifigure_id: uuid.UUID, condition: Condition
) -> bool:
    """Adds the item (once: adding it again changes nothing); False for an unknown minifigure."""
    exists = await session.scalar(select(Minifigure.id).where(Minifigure.id == minifigure_id))
    if exists is None:
        return False
    await session.execute(
        insert(WatchlistItem)
        .values(account_id=account_id, minifigure_id=minifigure_id, condition=condition.value)
        .on_conflict_do_nothing(constraint="uq_watchlist_items_key")
    )
    return True


async def remove_from_watchlist(
    session: AsyncSession, account_id: uuid.UUID, minifigure_id: uuid.UUID, condition: Condition
) -> bool:
    result = await session.execute(
        delete(WatchlistItem)
        .where(
            WatchlistItem.account_id == account_id,
            WatchlistItem.minifigure_id == minifigure_id,
            WatchlistItem.condition == condition.value,
        )
        .returning(WatchlistItem.id)
    )
    return result.first() is not None


async def watched_items(
    session: AsyncSession, account_id: uuid.UUID
) -> list[tuple[uuid.UUID, str]]:
    """The (minifigure, condition) pairs the account follows."""
    rows = await session.execute(
        select(WatchlistItem.minifigure_id, WatchlistItem.condition).where(
            WatchlistItem.account_id == account_id
        )
    )
    return [(row[0], row[1]) for row in rows]


async def watchlist_rows(
    session: AsyncSession,
    account_id: uuid.UUID,
    *,
    minifigure_id: uuid.UUID | None = None,
    item_id: uuid.UUID | None = None,
) -> list[WatchlistRow]:
    """The whole watchlist (or one figure's items, or one item), newest first, prices
    included: one statement."""
    sale = (
        select(PriceListing.price_usd, PriceListing.observed_at)
        .where(
            PriceListing.minifigure_id == WatchlistItem.minifigure_id,
            PriceListing.kind == ListingKind.SOLD.value,
            PriceListing.condition == WatchlistItem.condition,
            PriceListing.excluded_reason.is_(None),
        )
        .order_by(PriceListing.observed_at.desc(), PriceListing.id.desc())
        .limit(1)
        .lateral("sale")
    )
    query = (
        select(
            WatchlistItem,
            Minifigure,
            sale.c.price_usd,
            sale.c.observed_at,
            _change(PriceWindow.D7),
            _change(PriceWindow.D30),
        )
        .join(Minifigure, Minifigure.id == WatchlistItem.minifigure_id)
        .outerjoin(sale, true())
        .where(WatchlistItem.account_id == account_id)
        .order_by(WatchlistItem.created_at.desc(), WatchlistItem.id)
    )
    if minifigure_id is not None:
        query = query.where(WatchlistItem.minifigure_id == minifigure_id)
    if item_id is not None:
        query = query.where(WatchlistItem.id == item_id)
    return [WatchlistRow(*row) for row in await session.execute(query)]


def _change(window: PriceWindow) -> ColumnElement[Decimal | None]:
    """`change_pct` in the item's own condition (CASE runs only the branch it takes)."""
    return case(
        (
            WatchlistItem.condition == Condition.NEW.value,
            change_pct(WatchlistItem.minifigure_id, Condition.NEW, window),
        ),
        else_=change_pct(WatchlistItem.minifigure_id, Condition.USED, window),
    )
