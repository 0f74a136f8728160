"""API keys: stored as a prefix plus a hash of the whole key; the key itself is never kept."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Account, ApiKey

# Writing `last_used_at` on every request would turn reads into writes; a minute is exact enough.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class KeyOwner:
    key: ApiKey
    account_is_admin: bool


async def add_api_key(
    session: AsyncSession,
    *,
    account_id: uuid.UUID,
    name: str,
    prefix: str,
    secret_hash: str,
    scopes: list[str],
) -> ApiKey:
    key = ApiKey(
        account_id=account_id, name=name, prefix=prefix, secret_hash=secret_hash, scopes=scopes
    )
    session.add(key)
    await session.flush()
    await session.refresh(key)
    return key


async def live_key_by_prefix(session: AsyncSession, prefix: str) -> KeyOwner | None:
    """The unrevoked key with this prefix and whether its account is an admin."""
    row = (
        await session.execute(
            select(ApiKey, Account.is_admin)
            .join(Account, Account.id == ApiKey.account_id)
            .where(ApiKey.prefix == prefix, ApiKey.revoked_at.is_(None))
        )
    ).first()
    return KeyOwner(row[0], row[1]) if row else None


async def note_key_used(session: AsyncSession, key: ApiKey, now: datetime) -> None:
    if key.last_used_at is not None and now - key.last_used_at < _LAST_USED_RESOLUTION:
        return
    await session.execute(update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=func.now()))


async def api_keys_of(session: AsyncSession, account_ids: list[uuid.UUID]) -> list[ApiKey]:
    """Every key of these accounts, revoked ones included, newest first."""
    result = await session.scalars(
        select(ApiKey)
        .where(ApiKey.account_id.in_(account_ids))
        .order_by(ApiKey.created_at.desc(), ApiKey.id)
    )
    return list(result)


async def api_key_of(
    session: AsyncSession, account_id: uuid.UUID, key_id: uuid.UUID
) -> ApiKey | None:
    """The account's own key; another account's is as absent as a missing one."""
    found: ApiKey | None = await session.scalar(
        select(ApiKey).where(ApiKey.id == key_id, ApiKey.account_id == account_id)
    )
    return found


async def revoke_api_key(
    session: AsyncSession, *, account_id: uuid.UUID, key_id: uuid.UUID
) -> ApiKey | None:
    """Revokes the account's own key (again harmlessly); None when the account has no such key."""
    key = await api_key_of(session, account_id, key_id)
    if key is None:
        return None
    if key.revoked_at is None:
        key.revoked_at = await session.scalar(select(func.now()))
        await session.flush()
    return key
