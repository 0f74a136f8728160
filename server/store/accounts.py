"""Accounts: created at sign-up (or by `stonks users create-admin`), found by email or id."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Account
from server.store.errors import StoreError


class EmailTakenError(StoreError):
    code = "EMAIL_TAKEN"

    def __init__(self) -> None:
        super().__init__("an account with this email already exists")


def normalize_email(raw: str) -> str | None:
    """Lower-cased and trimmed; None when it cannot be an address."""
    email = raw.strip().lower()
    local, at, domain = email.partition("@")
    if not at or not local or "." not in domain or len(email) > 254 or " " in email:
        return None
    return email


async def create_account(
    session: AsyncSession, *, email: str, password_hash: str, is_admin: bool = False
) -> Account:
    """Raises EmailTakenError when the (normalized) email has an account already."""
    inserted: Account | None = await session.scalar(
        insert(Account)
        .values(email=email, password_hash=password_hash, is_admin=is_admin)
        .on_conflict_do_nothing(index_elements=[Account.email])
        .returning(Account)
    )
    if inserted is None:
        raise EmailTakenError
    return inserted


async def account_by_email(session: AsyncSession, email: str) -> Account | None:
    found: Account | None = await session.scalar(select(Account).where(Account.email == email))
    return found


async def account_by_id(session: AsyncSession, account_id: uuid.UUID) -> Account | None:
    return await session.get(Account, account_id)


async def make_admin(session: AsyncSession, account: Account) -> None:
    account.is_admin = True
    await session.flush()
