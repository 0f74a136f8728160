"""`stonks users create-admin EMAIL`: the first admin account (or promote an existing one)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from server.collectors.passwords import hash_password, password_problem
from server.store.accounts import account_by_email, create_account, make_admin, normalize_email


class AdminCommandError(Exception):
    pass


async def create_admin(session: AsyncSession, email: str, read_password: Callable[[], str]) -> str:
    """Creates the admin account, asking for its password, or promotes the existing one.

    Returns what was done, for the terminal. The caller commits.
    """
    normalized = normalize_email(email)
    if normalized is None:
        raise AdminCommandError(f"{email!r} is not an email address")
    account = await account_by_email(session, normalized)
    if account is not None:
        if account.is_admin:
            return f"{normalized} is already an admin"
        await make_admin(session, account)
        return f"{normalized} is now an admin (password unchanged)"
    password = read_password()
    if problem := password_problem(password):
        raise AdminCommandError(problem)
    await create_account(
        session, email=normalized, password_hash=hash_password(password), is_admin=True
    )
    return f"created admin account {normalized}"
