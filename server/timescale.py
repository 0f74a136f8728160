"""TimescaleDB's Community features: what the server offers, and the policies we keep on it.

Compression, continuous aggregates and policies exist only in the Community (Timescale
License) edition; the Apache-only build and plain PostgreSQL have none of them, and the
schema works without them. Functions take a synchronous SQLAlchemy connection so the
migration (Alembic runs them synchronously) and `stonks migrate` share them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import NullPool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from server.db import async_url
from server.settings import Settings

# The daily candles per minifigure, condition and kind (a continuous aggregate).
DAILY_CANDLES_VIEW = "price_candles_daily"
# Materialized days stop an hour short of now; real-time aggregation covers the rest.
REFRESH_END_OFFSET = "1 hour"
REFRESH_EVERY = "30 minutes"


@dataclass(frozen=True, slots=True)
class ListingPolicies:
    """How long raw listings stay uncompressed, and how long they are kept at all."""

    compress_after_days: int
    retention_days: int | None

    @classmethod
    def from_settings(cls, settings: Settings) -> ListingPolicies:
        retention = settings.listings_retention_days or None  # 0: keep forever
        return cls(settings.compress_listings_after_days, retention)


def has_community_timescaledb(connection: Connection) -> bool:
    """The extension is installed here and its license enables the Community features."""
    installed = connection.execute(
        text("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'")
    ).first()
    if installed is None:
        return False
    license_name = connection.execute(
        text("SELECT current_setting('timescaledb.license', true)")
    ).scalar()
    return license_name == "timescale"


def has_daily_candles(connection: Connection) -> bool:
    found = connection.execute(
        text("SELECT to_regclass(:name) IS NOT NULL"), {"name": DAILY_CANDLES_VIEW}
    )
    return bool(found.scalar())


def apply_listing_policies(connection: Connection, policies: ListingPolicies) -> None:
    """Replaces the compression, retention and candle refresh policies (idempotent)."""
    connection.execute(
        text("SELECT remove_compression_policy('price_listings', if_exists => true)")
    )
    connection.execute(
        text("SELECT add_compression_policy('price_listings', make_interval(days => :days))"),
        {"days": policies.compress_after_days},
    )
    connection.execute(text("SELECT remove_retention_policy('price_listings', if_exists => true)"))
    if policies.retention_days is not None:
        connection.execute(
            text("SELECT add_retention_policy('price_listings', make_interval(days => :days))"),
            {"days": policies.retention_days},
        )
    # Refreshing a range whose raw chunks were dropped would empty its candles, so the
    # refresh window stops a day short of the retention horizon (or covers everything).
    connection.execute(
        text(
            f"SELECT remove_continuous_aggregate_policy('{DAILY_CANDLES_VIEW}', if_exists => true)"
        )
    )
    connection.execute(
        text(
            f"SELECT add_continuous_aggregate_policy('{DAILY_CANDLES_VIEW}', "
            "start_offset => CASE WHEN CAST(:days AS int) IS NULL THEN NULL "
            "ELSE make_interval(days => CAST(:days AS int) - 1) END, "
            f"end_offset => INTERVAL '{REFRESH_END_OFFSET}', "
            f"schedule_interval => INTERVAL '{REFRESH_EVERY}')"
        ),
        {"days": policies.retention_days},
    )


async def reapply_listing_policies(database_url: str, policies: ListingPolicies) -> bool:
    """After a migration: settings changed since the first one take effect; False off Community."""
    engine = create_async_engine(async_url(database_url), poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            if not await connection.run_sync(has_community_timescaledb):
                return False
            await connection.run_sync(apply_listing_policies, policies)
    finally:
        await engine.dispose()
    return True
