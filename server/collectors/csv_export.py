"""CSV exports: holdings in the import's own columns (a round trip), and the watchlist."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from server.collectors.holdings_import import COLUMNS
from server.models import Holding, Minifigure
from server.store.watchlist import WatchlistRow

WATCHLIST_COLUMNS = (
    "fig_num",
    "name",
    "condition",
    "last_sale_usd",
    "last_sale_at",
    "change_7d_pct",
    "change_30d_pct",
    "added_at",
)


def _write(header: Sequence[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return out.getvalue()


def holdings_csv(holdings: Sequence[tuple[Holding, Minifigure]]) -> str:
    return _write(
        COLUMNS,
        [
            [
                figure.fig_num,
                h.quantity,
                h.unit_cost,
                h.currency,
                h.acquired_on.isoformat(),
                h.condition,
            ]
            for h, figure in holdings
        ],
    )


def watchlist_csv(items: Sequence[WatchlistRow]) -> str:
    return _write(
        WATCHLIST_COLUMNS,
        [
            [
                row.minifigure.fig_num,
                row.minifigure.name,
                row.item.condition,
                row.last_sale_usd,
                row.last_sale_at.isoformat() if row.last_sale_at else None,
                row.change_7d_pct,
                row.change_30d_pct,
                row.item.created_at.isoformat(),
            ]
            for row in items
        ],
    )
