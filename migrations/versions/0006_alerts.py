"""Alerts: rules, their firings (each stored once) and webhook delivery attempts.

Revision ID: 0006_alerts
Revises: 0005_collectors
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_alerts"
down_revision: str | None = "0005_collectors"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_rules",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("minifigure_id", sa.UUID(), nullable=False),
        sa.Column("condition", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("direction", sa.Text(), nullable=False),
        sa.Column("price", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("change_pct", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("window_days", sa.Integer(), nullable=True),
        sa.Column("webhook_url", sa.Text(), nullable=True),
        sa.Column("webhook_secret", sa.Text(), nullable=False),
        sa.Column("armed", sa.Boolean(), server_default=sa.text("true"), nullable=False),
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
            "condition IN ('NEW', 'USED')", name=op.f("ck_alert_rules_condition_known")
        ),
        sa.CheckConstraint(
            "direction IN ('ABOVE', 'BELOW')", name=op.f("ck_alert_rules_direction_known")
        ),
        sa.CheckConstraint("kind IN ('SOLD', 'ASK')", name=op.f("ck_alert_rules_kind_known")),
        sa.CheckConstraint(
            "(price IS NOT NULL AND currency IS NOT NULL AND change_pct IS NULL"
            " AND window_days IS NULL) OR (price IS NULL AND currency IS NULL"
            " AND change_pct IS NOT NULL AND window_days IS NOT NULL)",
            name=op.f("ck_alert_rules_price_or_change"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_alert_rules_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["minifigure_id"],
            ["minifigures.id"],
            name=op.f("fk_alert_rules_minifigure_id_minifigures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_rules")),
    )
    op.create_index("ix_alert_rules_account_id", "alert_rules", ["account_id"], unique=False)
    op.create_index(
        "ix_alert_rules_watched",
        "alert_rules",
        ["minifigure_id", "condition", "kind"],
        unique=False,
    )
    op.create_table(
        "alert_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("alert_id", sa.UUID(), nullable=False),
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("minifigure_id", sa.UUID(), nullable=False),
        sa.Column("listing_id", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("condition", sa.Text(), nullable=False),
        sa.Column("price_usd", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reference_usd", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("change_pct", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column(
            "fired_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("webhook_status", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "webhook_status IS NULL OR webhook_status IN ('PENDING', 'DELIVERED', 'FAILED')",
            name=op.f("ck_alert_events_webhook_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_alert_events_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alert_rules.id"],
            name=op.f("fk_alert_events_alert_id_alert_rules"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["minifigure_id"],
            ["minifigures.id"],
            name=op.f("fk_alert_events_minifigure_id_minifigures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_events")),
        sa.UniqueConstraint("alert_id", "listing_id", name="uq_alert_events_crossing"),
    )
    op.create_index(
        "ix_alert_events_account_id", "alert_events", ["account_id", "id"], unique=False
    )
    op.create_index("ix_alert_events_alert_id", "alert_events", ["alert_id", "id"], unique=False)
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("alert_event_id", sa.BigInteger(), nullable=False),
        sa.Column("alert_id", sa.UUID(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column(
            "attempted_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["alert_event_id"],
            ["alert_events.id"],
            name=op.f("fk_webhook_deliveries_alert_event_id_alert_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alert_rules.id"],
            name=op.f("fk_webhook_deliveries_alert_id_alert_rules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
        sa.UniqueConstraint("alert_event_id", "attempt", name="uq_webhook_deliveries_attempt"),
    )
    op.create_index(
        "ix_webhook_deliveries_alert_id", "webhook_deliveries", ["alert_id", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_alert_id", table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
    op.drop_index("ix_alert_events_alert_id", table_name="alert_events")
    op.drop_index("ix_alert_events_account_id", table_name="alert_events")
    op.drop_table("alert_events")
    op.drop_index("ix_alert_rules_watched", table_name="alert_rules")
    op.drop_index("ix_alert_rules_account_id", table_name="alert_rules")
    op.drop_table("alert_rules")
