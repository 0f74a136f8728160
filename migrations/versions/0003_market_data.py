"""Market data: ask figures on snapshots (prices of the day are sold-based).

Existing snapshots keep their old (sold and asks together) figures until recomputed:
run `stonks aggregate --from <first day> --to <today>` after upgrading.

Revision ID: 0003_market_data
Revises: 0002_event_outbox
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_market_data"
down_revision: str | None = "0002_event_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(12, 2)


def upgrade() -> None:
    op.add_column("price_snapshots", sa.Column("lowest_ask_usd", MONEY, nullable=True))
    op.add_column("price_snapshots", sa.Column("ask_median_usd", MONEY, nullable=True))


def downgrade() -> None:
    op.drop_column("price_snapshots", "ask_median_usd")
    op.drop_column("price_snapshots", "lowest_ask_usd")
