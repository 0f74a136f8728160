"""The one configuration object of the product.

Built once at start-up (`Settings()` in the CLI, `create_app`, the worker) and
passed down; nothing reads the environment at import time.
"""

from __future__ import annotations

import hmac
from enum import StrEnum
from pathlib import Path
from typing import Literal, Self

import platformdirs
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Values that appear in examples and must never guard a real deployment.
_PLACEHOLDER_SECRETS = frozenset({"changeme", "changethis", "secret", "admin", "password"})
MIN_SECRET_LENGTH = 32


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class UnsafeSettingsError(ValueError):
    """A setting is acceptable on a developer's machine but not outside it."""


def default_data_dir() -> Path:
    return platformdirs.user_data_path("stonks", appauthor=False)


class Settings(BaseSettings):
    """Environment variables (or a `.env` file) named like the fields, case-insensitive."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    environment: Environment = Environment.DEVELOPMENT
    database_url: SecretStr | None = Field(
        default=None,
        description="PostgreSQL URL; unset starts the embedded PostgreSQL in data_dir.",
    )
    redis_url: SecretStr | None = Field(
        default=None,
        description="Redis URL; unset starts the embedded Redis in data_dir.",
    )
    data_dir: Path = Field(default_factory=default_data_dir)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    admin_api_key: SecretStr | None = None
    allowed_origins: tuple[str, ...] = ("http://localhost:8000", "http://127.0.0.1:8000")
    db_pool_size: int = Field(default=10, ge=1, le=200)
    statement_timeout_ms: int = Field(default=15_000, ge=100)
    max_request_bytes: int = Field(
        default=1_048_576, ge=1024, description="Largest HTTP request body accepted (413 above)."
    )
    live_queue_size: int = Field(
        default=1000, ge=1, description="Messages a WebSocket connection may fall behind."
    )
    live_subscriptions_per_connection: int = Field(default=20, ge=1, le=1000)
    live_connection_init_timeout_s: float = Field(default=10.0, gt=0)
    live_keep_alive_s: float = Field(
        default=15.0, gt=0, description="Interval of the server's graphql-transport-ws pings."
    )

    # Collection (workers): credentials are secrets and never logged.
    worker_queue_name: str = Field(
        default="stonks:queue", description="ARQ queue the API enqueues to and the worker reads."
    )
    redis_namespace: str = Field(
        default="stonks",
        description="Redis key prefix: event log and channel, quotas, schedule, job ids.",
    )
    worker_job_timeout_s: int = Field(default=300, ge=1)
    demo_market: bool | None = Field(
        default=None,
        description="Seed the demo catalog and keep a simulated market ticking; "
        "unset means on in development, off in production.",
    )
    demo_tick_seconds: int = Field(default=10, ge=1, le=3600)
    demo_backfill_days: int = Field(default=365, ge=0, le=3650)
    bricklink_consumer_key: SecretStr | None = None
    bricklink_consumer_secret: SecretStr | None = None
    bricklink_token_value: SecretStr | None = None
    bricklink_token_secret: SecretStr | None = None
    ebay_client_id: SecretStr | None = None
    ebay_client_secret: SecretStr | None = None
    brickowl_api_key: SecretStr | None = None
    rebrickable_api_key: SecretStr | None = None

    def accepts_admin_key(self, offered: str) -> bool:
        """Compares in constant time; no key is accepted when none is configured."""
        if self.admin_api_key is None:
            return False
        expected = self.admin_api_key.get_secret_value().encode()
        return hmac.compare_digest(offered.encode(), expected)

    @property
    def is_development(self) -> bool:
        return self.environment is Environment.DEVELOPMENT

    @property
    def demo_market_enabled(self) -> bool:
        return self.is_development if self.demo_market is None else self.demo_market

    @model_validator(mode="after")
    def _refuse_unsafe_values(self) -> Self:
        if self.is_development:
            return self
        key = self.admin_api_key.get_secret_value() if self.admin_api_key else ""
        if key.lower() in _PLACEHOLDER_SECRETS or len(key) < MIN_SECRET_LENGTH:
            raise UnsafeSettingsError(
                f"ADMIN_API_KEY must be set to a random value of at least {MIN_SECRET_LENGTH} "
                f"characters when ENVIRONMENT={self.environment.value}"
            )
        if "*" in self.allowed_origins:
            raise UnsafeSettingsError(
                "ALLOWED_ORIGINS may not contain '*' outside development: list the origins"
            )
        return self

    def with_service_urls(self, *, database_url: str, redis_url: str) -> Settings:
        """A copy pointing at concrete servers (the embedded ones, once started)."""
        return self.model_copy(
            update={"database_url": SecretStr(database_url), "redis_url": SecretStr(redis_url)}
        )
