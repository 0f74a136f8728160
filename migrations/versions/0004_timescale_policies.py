"""TimescaleDB Community features: compressed old listings, retention, daily candles.

Only where the server runs the Community edition (feature detection, not version
guessing); plain PostgreSQL and the Apache-only build migrate to the same revision
without them, and the price queries read raw listings there.

- price_listings chunks older than COMPRESS_LISTINGS_AFTER_DAYS are compressed,
  segmented by minifigure (every read filters on it) and ordered by time;
- raw listings older than LISTINGS_RETENTION_DAYS are dropped by chunk (snapshots and
  the daily candles stay);
- price_candles_daily: a continuous aggregate of daily candles per minifigure, condition
  and kind, with real-time aggregation so today's prices count before the refresh.

Revision ID: 0003_timescale_policies
Revises: 0002_event_outbox
"""

from collections.abc import Sequence

from alembic import op

from server.settings import Settings
from server.timescale import (
    DAILY_CANDLES_VIEW,
    ListingPolicies,
    apply_listing_policies,
    has_community_timescaledb,
)

revision: str = "0004_timescale_policies"
down_revision: str | None = "0003_market_data"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same measures the raw candle query computes (server/store/candles.py), per UTC day,
# plus the day's prices in ascending order: the median of a wider bucket needs them.
_CREATE_DAILY_CANDLES = """
CREATE MATERIALIZED VIEW price_candles_daily
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT
    minifigure_id,
    condition,
    kind,
    time_bucket(INTERVAL '1 day', observed_at) AS day,
    (array_agg(price_usd ORDER BY observed_at, id))[1] AS open_usd,
    max(price_usd) AS high_usd,
    min(price_usd) AS low_usd,
    (array_agg(price_usd ORDER BY observed_at DESC, id DESC))[1] AS close_usd,
    round(CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY price_usd) AS numeric), 2)
        AS median_usd,
    sum(quantity) AS volume,
    count(*) AS trades,
    array_agg(price_usd ORDER BY price_usd) AS prices_usd
FROM price_listings
WHERE excluded_reason IS NULL
GROUP BY minifigure_id, condition, kind, time_bucket(INTERVAL '1 day', observed_at)
WITH NO DATA
"""


def _policies() -> ListingPolicies:
    config = op.get_context().config
    given = config.attributes.get("settings") if config is not None else None
    # Run by plain `alembic upgrade`, the settings come from the environment.
    return ListingPolicies.from_settings(given if isinstance(given, Settings) else Settings())


def upgrade() -> None:
    bind = op.get_bind()
    if not has_community_timescaledb(bind):
        return
    op.execute(
        "ALTER TABLE price_listings SET (timescaledb.compress, "
        "timescaledb.compress_segmentby = 'minifigure_id', "
        "timescaledb.compress_orderby = 'observed_at DESC, id DESC')"
    )
    op.execute(_CREATE_DAILY_CANDLES)
    op.execute(
        f"CREATE INDEX ix_{DAILY_CANDLES_VIEW}_minifigure_day "
        f"ON {DAILY_CANDLES_VIEW} (minifigure_id, condition, kind, day)"
    )
    apply_listing_policies(bind, _policies())


def downgrade() -> None:
    bind = op.get_bind()
    if not has_community_timescaledb(bind):
        return
    op.execute(f"DROP MATERIALIZED VIEW IF EXISTS {DAILY_CANDLES_VIEW}")
    op.execute("SELECT remove_retention_policy('price_listings', if_exists => true)")
    op.execute("SELECT remove_compression_policy('price_listings', if_exists => true)")
    op.execute(
        "SELECT decompress_chunk(chunk, if_compressed => true) "
        "FROM show_chunks('price_listings') AS chunk"
    )
    op.execute("ALTER TABLE price_listings SET (timescaledb.compress = false)")
