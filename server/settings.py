"""The one configuration object of the product.

Built once at start-up (`Settings()` in the CLI, `create_app`, the worker) and
passed down; nothing reads the environment at import time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from enum import StrEnum
from pathlib import Path
from typing import Literal, Self

import platformdirs
from pydantic import Field, PrivateAttr, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Values that appear in examples and must never guard a real deployment.
_PLACEHOLDER_SECRETS = frozenset({"changeme", "changethis", "secret", "admin", "password"})
MIN_SECRET_LENGTH = 32
MIN_RETENTION_DAYS = 7


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
    # Sessions signed with it end when the process does (development without secrets).
    _process_token_key: str = PrivateAttr(default_factory=lambda: secrets.token_urlsafe(48))

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
    token_secret: SecretStr | None = Field(
        default=None,
        description="Signs access tokens; unset, a key derived from ADMIN_API_KEY "
        "(or, without one, a random key per process) is used.",
    )
    access_token_ttl_s: int = Field(
        default=900, ge=30, le=86_400, description="Lifetime of an access token."
    )
    refresh_token_ttl_days: int = Field(
        default=30, ge=1, le=365, description="Lifetime of a refresh token (each use renews it)."
    )
    allowed_origins: tuple[str, ...] = ("http://localhost:8000", "http://127.0.0.1:8000")
    db_pool_size: int = Field(default=10, ge=1, le=200)
    statement_timeout_ms: int = Field(default=15_000, ge=100)
    # Fault tolerance: no call to PostgreSQL or Redis may wait forever on a frozen server.
    db_connect_timeout_s: float = Field(
        default=5.0, gt=0, description="Longest wait for a new PostgreSQL connection."
    )
    redis_timeout_s: float = Field(
        default=5.0, gt=0, description="Longest wait for a Redis connection or reply."
    )
    health_timeout_s: float = Field(
        default=1.0, gt=0, le=10, description="A dependency slower than this is reported down."
    )
    max_request_bytes: int = Field(
        default=1_048_576, ge=1024, description="Largest HTTP request body accepted (413 above)."
    )
    compress_listings_after_days: int = Field(
        default=30,
        ge=1,
        description="TimescaleDB Community: compress price_listings chunks older than this.",
    )
    listings_retention_days: int = Field(
        default=730,
        ge=0,
        description="TimescaleDB Community: drop raw listings older than this (snapshots and "
        "daily candles are kept); 0 keeps them forever.",
    )
    metrics_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="Serve Prometheus metrics on this separate port (no key needed), from "
        "the API and from `stonks worker`; unset: /metrics on the main port for the admin key.",
    )
    metrics_host: str = Field(
        default="127.0.0.1", description="Address of the separate metrics port."
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="json: one JSON object per log line, with request id, operation and duration.",
    )
    # Operation limits (README "Limits and security"); refusals name the limit and value.
    query_max_length: int = Field(
        default=32_768, ge=100, description="Characters of a GraphQL document."
    )
    query_max_tokens: int = Field(default=1_000, ge=10, description="Tokens of a document.")
    query_max_depth: int = Field(default=12, ge=1, description="Nested field levels.")
    query_max_aliases: int = Field(default=30, ge=0, description="Aliases, fragments expanded.")
    query_max_fragments: int = Field(default=50, ge=0, description="Fragment definitions.")
    query_max_directives: int = Field(default=50, ge=0, description="Directives written.")
    query_max_cost: int = Field(default=50_000, ge=1, description="Estimated objects resolved.")
    graphql_introspection: bool = Field(
        default=True, description="Answer introspection (`__schema`, `__type`) queries."
    )
    graphql_suggestions: bool | None = Field(
        default=None,
        description='"Did you mean ...?" in validation errors; unset: in development only.',
    )
    trusted_documents_only: bool = Field(
        default=False, description="Run only operations registered in the manifest."
    )
    trusted_documents_file: Path | None = Field(
        default=None,
        description="Manifest of registered operations; unset: the frontend's build output.",
    )
    rate_limit_enabled: bool = Field(
        default=True, description="Charge each operation's cost to its client's bucket."
    )
    rate_limit_anonymous_burst: int = Field(
        default=50_000, ge=1, description="Cost points an IP without API key may spend at once."
    )
    rate_limit_anonymous_per_s: float = Field(
        default=500.0, gt=0, description="Cost points an IP's bucket regains per second."
    )
    rate_limit_key_burst: int = Field(
        default=200_000, ge=1, description="Cost points an API key may spend at once."
    )
    rate_limit_key_per_s: float = Field(
        default=2_000.0, gt=0, description="Cost points an API key's bucket regains per second."
    )
    graphql_get_max_age_s: int = Field(
        default=10, ge=0, description="How long caches may keep a public GET query's answer."
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
    # Raw payloads (provenance, `stonks reprocess`) are kept this long after last received.
    raw_retention_days: int = Field(default=180, ge=1)
    # Result pages read per eBay search (up to 100 hits each); each page is one request.
    ebay_max_pages: int = Field(default=3, ge=1, le=20)
    brickowl_api_key: SecretStr | None = None
    rebrickable_api_key: SecretStr | None = None
    # Where each marketplace is reached; unset means its public API. Point one at a
    # sandbox (eBay's https://api.sandbox.ebay.com) or a recording proxy.
    bricklink_base_url: str | None = None
    ebay_base_url: str | None = None
    brickowl_base_url: str | None = None
    rebrickable_base_url: str | None = None
    brickset_api_url: str = Field(
        default="https://brickset.com/api/v3.asmx",
        description="Brickset API v3 base URL (collection imports use the user's own key).",
    )

    # Alerts' webhooks (see README "Alerts").
    alert_webhook_allow_private: bool = Field(
        default=False,
        description="Let alert webhooks reach loopback, link-local and private addresses "
        "(a receiver on this host or LAN); off, such URLs are refused at creation and delivery.",
    )
    alert_webhook_max_tries: int = Field(
        default=6, ge=1, le=20, description="Attempts per alert webhook delivery."
    )
    alert_webhook_retry_s: float = Field(
        default=10.0,
        gt=0,
        description="Delay before a webhook's second attempt; doubled for each one after it.",
    )
    alert_webhook_timeout_s: float = Field(
        default=10.0, gt=0, description="How long one webhook POST may take."
    )

    def accepts_admin_key(self, offered: str) -> bool:
        """Compares in constant time; no key is accepted when none is configured."""
        if self.admin_api_key is None:
            return False
        expected = self.admin_api_key.get_secret_value().encode()
        return hmac.compare_digest(offered.encode(), expected)

    def access_token_key(self) -> str:
        """The key signing access tokens (stable across processes unless neither secret is set)."""
        if self.token_secret is not None:
            return self.token_secret.get_secret_value()
        if self.admin_api_key is not None:
            admin_key = self.admin_api_key.get_secret_value().encode()
            return hmac.new(admin_key, b"stonks access tokens", hashlib.sha256).hexdigest()
        return self._process_token_key

    @property
    def is_development(self) -> bool:
        return self.environment is Environment.DEVELOPMENT

    @property
    def graphql_suggestions_enabled(self) -> bool:
        return self.is_development if self.graphql_suggestions is None else self.graphql_suggestions

    @property
    def demo_market_enabled(self) -> bool:
        return self.is_development if self.demo_market is None else self.demo_market

    @model_validator(mode="after")
    def _retention_covers_a_week(self) -> Self:
        # The candle refresh stops a day short of the retention horizon: keep a margin.
        if 0 < self.listings_retention_days < MIN_RETENTION_DAYS:
            raise ValueError(
                f"LISTINGS_RETENTION_DAYS must be 0 (keep forever) or at least {MIN_RETENTION_DAYS}"
            )
        return self

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
        if self.token_secret and len(self.token_secret.get_secret_value()) < MIN_SECRET_LENGTH:
            raise UnsafeSettingsError(
                f"TOKEN_SECRET must have at least {MIN_SECRET_LENGTH} characters "
                f"when ENVIRONMENT={self.environment.value}"
            )
        return self

    def with_service_urls(self, *, database_url: str, redis_url: str) -> Settings:
        """A copy pointing at concrete servers (the embedded ones, once started)."""
        return self.model_copy(
            update={"database_url": SecretStr(database_url), "redis_url": SecretStr(redis_url)}
        )
