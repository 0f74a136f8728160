"""`stonks users create-admin` as an operator runs it: a real process on the test database."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.collectors.conftest import PASSWORD, new_email


def _create_admin(database_url: str, redis_url: str, *args: str, stdin: str) -> tuple[int, str]:
    env = os.environ | {"DATABASE_URL": database_url, "REDIS_URL": redis_url}
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "users", "create-admin", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


async def test_create_admin_from_the_command_line(
    database_url: str, redis_url: str, committed: AsyncSession
) -> None:
    email = new_email()

    created = _create_admin(database_url, redis_url, email, "--password-stdin", stdin=PASSWORD)
    short = _create_admin(database_url, redis_url, new_email(), "--password-stdin", stdin="short\n")
    not_an_email = _create_admin(database_url, redis_url, "nobody", "--password-stdin", stdin="")

    assert created == (0, f"created admin account {email}\n")
    assert short[0] == 1
    assert "at least 10 characters" in short[1]
    assert not_an_email[0] == 1
    is_admin = await committed.scalar(
        text("SELECT is_admin FROM accounts WHERE email = :email"), {"email": email}
    )
    assert is_admin is True
