"""Initial schema: catalog, sources, price listings (a hypertable on TimescaleDB), snapshots, FX.

Revision ID: 0001
Revises:
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

logger = logging.getLogger("alembic.runtime.migration")

DATA_SOURCES = [
    # code, name, kind, requests per minute, daily quota
    ("bricklink", "BrickLink", "marketplace", 60, 5000),
    ("ebay", "eBay", "marketplace", 60, 5000),
    ("brickowl", "BrickOwl", "marketplace", 60, 10000),
    ("rebrickable", "Rebrickable", "catalog", 60, None),
    ("demo", "Demo market", "demo", None, None),
]


def _server_offers(extension: str) -> bool:
    bind = op.get_bind()
    query = sa.text("SELECT 1 FROM pg_available_extensions WHERE name = :name")
    return bind.execute(query, {"name": extension}).first() is not None


def _timescaledb_usable() -> bool:
    """Offered AND loaded at server start: CREATE EXTENSION fails on a server that only has
    the files ("must be preloaded"), so check shared_preload_libraries first and say why."""
    if not _server_offers("timescaledb"):
        logger.info("TimescaleDB is not installed on this server: price_listings is a plain table")
        return False
    preload = op.get_bind().execute(sa.text("SHOW shared_preload_libraries")).scalar_one()
    if "timescaledb" in {name.strip() for name in str(preload).split(",")}:
        return True
    logger.warning(
        "TimescaleDB is installed on this server but not preloaded "
        "(shared_preload_libraries = %r): skipping it, price_listings is a plain table. "
        "To use it, add timescaledb to shared_preload_libraries, restart PostgreSQL "
        "and migrate a fresh database.",
        preload,
    )
    return False


def upgrade() -> None:
    # Optional extensions: the schema works without them (plain PostgreSQL, the embedded
    # default); they add partitioning and typo-tolerant search where the server has them.
    has_timescaledb = _timescaledb_usable()
    if has_timescaledb:
        op.execute("CREATE EXTENSION IF NOT EXISTS timescaledb")
    has_trgm = _server_offers("pg_trgm")
    if has_trgm:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")

    op.create_table(
        "data_sources",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("requests_per_minute", sa.Integer(), nullable=True),
        sa.Column("daily_quota", sa.Integer(), nullable=True),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('marketplace', 'catalog', 'demo')", name=op.f("ck_data_sources_kind_known")
        ),
        sa.CheckConstraint(
            "daily_quota IS NULL OR daily_quota > 0",
            name=op.f("ck_data_sources_daily_quota_positive"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_data_sources")),
    )
    op.create_table(
        "fx_rates",
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("usd_per_unit", sa.Numeric(precision=18, scale=8), nullable=False),
        sa.Column("source", sa.Text(), server_default="shipped", nullable=False),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_fx_rates_currency_iso")),
        sa.CheckConstraint("usd_per_unit > 0", name=op.f("ck_fx_rates_rate_positive")),
        sa.PrimaryKeyConstraint("currency", "day", name=op.f("pk_fx_rates")),
    )
    op.create_table(
        "minifigures",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("fig_num", sa.Text(), nullable=False),
        sa.Column("rebrickable_id", sa.Text(), nullable=True),
        sa.Column("brickowl_id", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("theme", sa.Text(), nullable=True),
        sa.Column("year_released", sa.Integer(), nullable=True),
        sa.Column("num_parts", sa.Integer(), nullable=True),
        sa.Column("image_url", sa.Text(), nullable=True),
        sa.Column(
            "metadata",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "setweight(to_tsvector('simple', fig_num), 'A') || "
                "setweight(to_tsvector('english', name), 'A') || "
                "setweight(to_tsvector('simple', coalesce(theme, '')), 'B')",
                persisted=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "fig_num = lower(fig_num) AND fig_num <> ''",
            name=op.f("ck_minifigures_fig_num_normalized"),
        ),
        sa.CheckConstraint("num_parts >= 0", name=op.f("ck_minifigures_num_parts_positive")),
        sa.CheckConstraint(
            "year_released BETWEEN 1949 AND 2100", name=op.f("ck_minifigures_year_released_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minifigures")),
        sa.UniqueConstraint("brickowl_id", name=op.f("uq_minifigures_brickowl_id")),
        sa.UniqueConstraint("fig_num", name=op.f("uq_minifigures_fig_num")),
        sa.UniqueConstraint("rebrickable_id", name=op.f("uq_minifigures_rebrickable_id")),
    )
    op.create_index(
        "ix_minifigures_search_vector",
        "minifigures",
        ["search_vector"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_index("ix_minifigures_theme", "minifigures", ["theme"], unique=False)
    op.create_index("ix_minifigures_year_released", "minifigures", ["year_released"], unique=False)
    if has_trgm:
        op.execute(
            "CREATE INDEX ix_minifigures_name_trgm ON minifigures USING gin (name gin_trgm_ops)"
        )
    op.create_table(
        "price_listings",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("minifigure_id", sa.UUID(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("external_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("condition", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("price_usd", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("shipping_usd", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("original_price", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("original_currency", sa.String(length=3), nullable=False),
        sa.Column("fx_rate", sa.Numeric(precision=18, scale=8), nullable=False),
        sa.Column("seller_name", sa.Text(), nullable=True),
        sa.Column("seller_country", sa.String(length=2), nullable=True),
        sa.Column("confidence", sa.Float(), server_default=sa.text("1"), nullable=False),
        sa.Column("excluded_reason", sa.Text(), nullable=True),
        sa.Column("raw", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "ingested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "condition IN ('NEW', 'USED')", name=op.f("ck_price_listings_condition_known")
        ),
        sa.CheckConstraint("kind IN ('SOLD', 'ASK')", name=op.f("ck_price_listings_kind_known")),
        sa.CheckConstraint(
            "original_currency ~ '^[A-Z]{3}$'", name=op.f("ck_price_listings_currency_iso")
        ),
        sa.CheckConstraint(
            "confidence BETWEEN 0 AND 1", name=op.f("ck_price_listings_confidence_unit")
        ),
        sa.CheckConstraint("price_usd >= 0", name=op.f("ck_price_listings_price_positive")),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_price_listings_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["minifigure_id"],
            ["minifigures.id"],
            name=op.f("fk_price_listings_minifigure_id_minifigures"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source"], ["data_sources.code"], name=op.f("fk_price_listings_source_data_sources")
        ),
        sa.PrimaryKeyConstraint("id", "observed_at", name=op.f("pk_price_listings")),
        sa.UniqueConstraint(
            "source", "external_id", "observed_at", name="uq_price_listings_dedupe"
        ),
    )
    op.create_index(
        "ix_price_listings_minifigure_observed_at",
        "price_listings",
        ["minifigure_id", sa.literal_column("observed_at DESC")],
        unique=False,
    )
    op.create_table(
        "price_snapshots",
        sa.Column("minifigure_id", sa.UUID(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("condition", sa.Text(), nullable=False),
        sa.Column("min_usd", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("max_usd", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("mean_usd", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("median_usd", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("p25_usd", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("p75_usd", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("weighted_mean_usd", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("sold_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("ask_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("excluded_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("sold_quantity", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("sources_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "by_source",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "computed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "condition IN ('NEW', 'USED')", name=op.f("ck_price_snapshots_condition_known")
        ),
        sa.CheckConstraint(
            "sold_count >= 0 AND ask_count >= 0 AND excluded_count >= 0",
            name=op.f("ck_price_snapshots_counts_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["minifigure_id"],
            ["minifigures.id"],
            name=op.f("fk_price_snapshots_minifigure_id_minifigures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "minifigure_id", "day", "condition", name=op.f("pk_price_snapshots")
        ),
    )
    if has_timescaledb:
        op.execute(
            "SELECT create_hypertable('price_listings', by_range('observed_at', INTERVAL '7 days'))"
        )
    op.create_index("ix_price_snapshots_day", "price_snapshots", ["day"], unique=False)
    op.create_table(
        "sync_runs",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="queued", nullable=False),
        sa.Column("job_id", sa.Text(), nullable=True),
        sa.Column(
            "params",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "started_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seen", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("saved", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("rejected", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'succeeded', 'failed')",
            name=op.f("ck_sync_runs_status_known"),
        ),
        sa.CheckConstraint(
            "seen >= 0 AND saved >= 0 AND rejected >= 0", name=op.f("ck_sync_runs_counts_positive")
        ),
        sa.ForeignKeyConstraint(
            ["source"], ["data_sources.code"], name=op.f("fk_sync_runs_source_data_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_runs")),
    )
    op.create_index(
        "ix_sync_runs_source_started_at",
        "sync_runs",
        ["source", sa.literal_column("started_at DESC")],
        unique=False,
    )
    data_sources = sa.table(
        "data_sources",
        sa.column("code"),
        sa.column("name"),
        sa.column("kind"),
        sa.column("requests_per_minute"),
        sa.column("daily_quota"),
    )
    op.bulk_insert(
        data_sources,
        [
            dict(
                zip(
                    ("code", "name", "kind", "requests_per_minute", "daily_quota"), row, strict=True
                )
            )
            for row in DATA_SOURCES
        ],
    )


def downgrade() -> None:
    # The extensions stay: other database objects may use them, and re-creating them
    # needs privileges a downgrade should not assume.
    op.drop_index("ix_sync_runs_source_started_at", table_name="sync_runs")
    op.drop_table("sync_runs")
    op.drop_index("ix_price_snapshots_day", table_name="price_snapshots")
    op.drop_table("price_snapshots")
    op.drop_index("ix_price_listings_minifigure_observed_at", table_name="price_listings")
    op.drop_table("price_listings")
    op.drop_index("ix_minifigures_year_released", table_name="minifigures")
    op.drop_index("ix_minifigures_theme", table_name="minifigures")
    op.execute("DROP INDEX IF EXISTS ix_minifigures_name_trgm")
    op.drop_index("ix_minifigures_search_vector", table_name="minifigures", postgresql_using="gin")
    op.drop_table("minifigures")
    op.drop_table("fx_rates")
    op.drop_table("data_sources")
