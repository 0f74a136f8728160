"""Runs the Alembic migrations in `migrations/` against a given database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from server.settings import Settings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def _config(database_url: str, settings: Settings | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["database_url"] = database_url
    # Migrations that apply settings (TimescaleDB policies) read them from here.
    config.attributes["settings"] = settings
    return config


def upgrade(database_url: str, revision: str = "head", *, settings: Settings | None = None) -> None:
    """Blocking: Alembic drives its own event loop, so call it off any running loop."""
    command.upgrade(_config(database_url, settings), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(_config(database_url), revision)
