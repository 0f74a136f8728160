"""A collector's alert rules: create, read, change, delete (always scoped to the owner)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import AlertRule


async def add_rule(
    session: AsyncSession, account_id: uuid.UUID, values: dict[str, Any]
) -> AlertRule:
    rule = AlertRule(account_id=account_id, **values)
    session.add(rule)
    await session.flush()
    await session.refresh(rule)
    return rule


async def rule_of(
    session: AsyncSession, account_id: uuid.UUID, rule_id: uuid.UUID
) -> AlertRule | None:
    """The account's own rule; another account's is as absent as a missing one."""
    found: AlertRule | None = await session.scalar(
        select(AlertRule).where(AlertRule.id == rule_id, AlertRule.account_id == account_id)
    )
    return found


async def rules_of(session: AsyncSession, account_id: uuid.UUID) -> list[AlertRule]:
    result = await session.scalars(
        select(AlertRule)
        .where(AlertRule.account_id == account_id)
        .order_by(AlertRule.created_at.desc(), AlertRule.id)
    )
    return list(result)


async def change_rule(session: AsyncSession, rule: AlertRule, values: dict[str, Any]) -> None:
    """A changed rule starts armed: its next crossing fires under the new condition."""
    for name, value in values.items():
        setattr(rule, name, value)
    rule.armed = True
    rule.updated_at = func.now()
    await session.flush()
    await session.refresh(rule)


async def remove_rule(session: AsyncSession, account_id: uuid.UUID, rule_id: uuid.UUID) -> bool:
    result = await session.execute(
        delete(AlertRule)
        .where(AlertRule.id == rule_id, AlertRule.account_id == account_id)
        .returning(AlertRule.id)
    )
    return result.first() is not None
