"""Refresh-token chains: each use spends one link and adds the next; reuse revokes the chain."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Account, RefreshToken


class Spent(Enum):
    UNKNOWN = "UNKNOWN"  # not a token we issued
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"  # its chain ended (sign-out, or a reuse was detected before)
    REUSED = "REUSED"  # already rotated: presented twice, so the chain is revoked now


@dataclass(frozen=True, slots=True)
class Rotation:
    account: Account
    family_id: uuid.UUID


async def add_refresh_token(
    session: AsyncSession,
    *,
    account_id: uuid.UUID,
    token_hash: str,
    expires_at: datetime,
    family_id: uuid.UUID | None = None,
) -> None:
    session.add(
        RefreshToken(
            account_id=account_id,
            family_id=family_id or uuid.uuid4(),
            token_hash=token_hash,
            expires_at=expires_at,
        )
    )
    await session.flush()


async def spend_refresh_token(session: AsyncSession, token_hash: str) -> Rotation | Spent:
    """Marks the token used and returns its chain, or says why it cannot be used.

    The row is locked, so two concurrent refreshes with one token cannot both succeed.
    """
    token = await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == token_hash).with_for_update()
    )
    if token is None:
        return Spent.UNKNOWN
    if token.revoked_at is not None:
        return Spent.REVOKED
    if token.used_at is not None:
        await revoke_family(session, token.family_id)
        return Spent.REUSED
    now = await session.scalar(select(func.now()))
    assert now is not None
    if token.expires_at <= now:
        return Spent.EXPIRED
    token.used_at = now
    account = await session.get(Account, token.account_id)
    assert account is not None  # the foreign key cascades deletes
    await session.flush()
    return Rotation(account, token.family_id)


async def family_of(session: AsyncSession, token_hash: str) -> RefreshToken | None:
    found: RefreshToken | None = await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == token_hash)
    )
    return found


async def revoke_family(session: AsyncSession, family_id: uuid.UUID) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )
