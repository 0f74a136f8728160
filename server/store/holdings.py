"""A collector's holdings: what they own, in which condition, bought when and for how much."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Condition, Holding, Minifigure


@dataclass(frozen=True, slots=True)
class NewHolding:
    minifigure_id: uuid.UUID
    condition: Condition
    quantity: int
    unit_cost: Decimal
    currency: str
    acquired_on: date


async def add_holdings(
    session: AsyncSession, account_id: uuid.UUID, holdings: Sequence[NewHolding]
) -> list[Holding]:
    rows = [
        Holding(
            account_id=account_id,
            minifigure_id=h.minifigure_id,
            condition=h.condition.value,
            quantity=h.quantity,
            unit_cost=h.unit_cost,
            currency=h.currency,
            acquired_on=h.acquired_on,
        )
        for h in holdings
    ]
    session.add_all(rows)
    await session.flush()
    return rows


async def holding_of(
    session: AsyncSession, account_id: uuid.UUID, holding_id: uuid.UUID
) -> Holding | None:
    """The account's own holding; another account's is as absent as a missing one."""
    found: Holding | None = await session.scalar(
        select(Holding).where(Holding.id == holding_id, Holding.account_id == account_id)
    )
    return found


async def update_holding(session: AsyncSession, holding: Holding, changes: dict[str, Any]) -> None:
    for field, value in changes.items():
        setattr(holding, field, value.value if isinstance(value, Condition) else value)
    await session.flush()


async def remove_holding(
    session: AsyncSession, account_id: uuid.UUID, holding_id: uuid.UUID
) -> bool:
    result = await session.execute(
        delete(Holding)
        .where(Holding.id == holding_id, Holding.account_id == account_id)
        .returning(Holding.id)
    )
    return result.first() is not None


async def holdings_with_figures(
    session: AsyncSession, account_id: uuid.UUID
) -> list[tuple[Holding, Minifigure]]:
    """Every holding of the account with its minifigure, oldest purchase first."""
    result = await session.execute(
        select(Holding, Minifigure)
        .join(Minifigure, Minifigure.id == Holding.minifigure_id)
        .where(Holding.account_id == account_id)
        .order_by(Holding.acquired_on, Holding.created_at, Holding.id)
    )
    return [(holding, figure) for holding, figure in result]
