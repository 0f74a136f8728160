"""Market data: ask figures on snapshots (prices of the day are sold-based), the stored
catalog crosswalk, raw observations (provenance), the exchange-rate history, the record
of merged duplicate figures, and BrickLink pictures for figures imported without one.

Existing snapshots keep their old (sold and asks together) figures until recomputed:
run `stonks aggregate --from <first day> --to <today>` after upgrading.

Revision ID: 0003_market_data
Revises: 0002_event_outbox
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003_market_data"
down_revision: str | None = "0002_event_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(12, 2)


def upgrade() -> None:
    op.add_column("price_snapshots", sa.Column("lowest_ask_usd", MONEY, nullable=True))
    op.add_column("price_snapshots", sa.Column("ask_median_usd", MONEY, nullable=True))
    op.create_table(
        "catalog_crosswalk",
        sa.Column("rebrickable_id", sa.Text(), nullable=False),
        sa.Column("fig_num", sa.Text(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("rebrickable_id", name=op.f("pk_catalog_crosswalk")),
    )
    op.create_table(
        "minifigure_merges",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("merged_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("merged_fig_num", sa.Text(), nullable=False),
        sa.Column("into_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("into_fig_num", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("listings_moved", sa.Integer(), nullable=False),
        sa.Column(
            "merged_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minifigure_merges")),
    )

    op.create_table(
        "fx_rate_history",
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("usd_per_unit", sa.Numeric(18, 8), nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint(
            "currency", "day", "source", "usd_per_unit", name=op.f("pk_fx_rate_history")
        ),
    )
    op.execute(
        "INSERT INTO fx_rate_history (currency, day, source, usd_per_unit) "
        "SELECT currency, day, source, usd_per_unit FROM fx_rates"
    )
    op.create_table(
        "raw_observations",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("external_id", sa.Text(), nullable=False),
        sa.Column("observed_key", sa.Text(), nullable=False),
        sa.Column("digest", sa.Text(), nullable=False),
        sa.Column("observation", postgresql.JSONB(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("sync_run_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "last_received_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_raw_observations")),
        sa.UniqueConstraint(
            "source", "external_id", "observed_key", "digest", name="uq_raw_payload"
        ),
    )
    op.create_index(
        "ix_raw_observations_source_last_received_at",
        "raw_observations",
        ["source", "last_received_at"],
    )
    # Every figure gets a picture: BrickLink's for its item number, where none was imported.
    op.execute(
        "UPDATE minifigures SET image_url = "
        "'https://img.bricklink.com/ItemImage/MN/0/' || fig_num || '.png' "
        "WHERE image_url IS NULL AND fig_num !~ '^fig-[0-9]+$'"
    )


def downgrade() -> None:
    op.drop_table("raw_observations")
    op.drop_table("fx_rate_history")
    op.drop_table("minifigure_merges")
    op.drop_table("catalog_crosswalk")
    op.drop_column("price_snapshots", "ask_median_usd")
    op.drop_column("price_snapshots", "lowest_ask_usd")
