"""An ingest's SQL statements are pinned: a fixed set per batch, plus one insert per
progress chunk (lookups, classification and the snapshot recompute do not grow with it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from server.store.catalog import upsert_minifigures
from server.store.fx import Rate, upsert_rates
from tests.factories import catalog_entry
from workers.context import Services
from workers.pipeline.observation import Observation
from workers.pipeline.run import run_ingest

START = datetime(2026, 10, 1, tzinfo=UTC)


def _sales(count: int) -> list[Observation]:
    # Two figures, three days, three currencies: every lookup has more than one key.
    return [
        Observation(
            source="demo",
            external_id=f"sale-{n}",
            fig_num=("sw0001a", "sw0002")[n % 2],
            observed_at=START + timedelta(minutes=17 * n),
            kind="SOLD",
            condition="used",
            price=Decimal("10.00") + n % 7,
            currency=("USD", "EUR", "GBP")[n % 3],
        )
        for n in range(count)
    ]


def _kind(statement: str) -> str:
    """`VERB table` (the table read, for a SELECT), or what the statement is for."""
    if "pg_advisory_xact_lock" in statement:
        return "lock snapshots"
    if statement.lstrip().startswith("WITH targets"):
        return "recompute snapshots"
    words = statement.split()
    if words[0] == "UPDATE":
        return f"UPDATE {words[1]}"
    before_table = "FROM" if words[0] == "SELECT" else words[1]
    return f"{words[0]} {words[words.index(before_table) + 1]}"


async def test_a_batch_runs_a_fixed_set_of_statements_and_one_insert_per_chunk(
    ctx: dict[str, Any], services: Services
) -> None:
    async with services.session_factory() as session, session.begin():
        await upsert_minifigures(session, [catalog_entry("sw0001a"), catalog_entry("sw0002")])
        await upsert_rates(
            session,
            [Rate(c, START.date(), Decimal("1.2")) for c in ("EUR", "GBP")],
            source="ecb",
        )
    engine: AsyncEngine = ctx["engine"]
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    async def fetch() -> Sequence[Observation]:
        return _sales(250)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        summary = await run_ingest(services, source="demo", kind="test", fetch=fetch)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)

    assert summary.saved == 250
    # 18 statements (sales only: no sold medians for asks; one look for alert rules on the
    # batch's figures). Before the lookups moved out of the chunk loop (28 statements),
    # each 100-record chunk also ran the catalog lookup, a minifigure check, the FX lookup
    # per currency and the recent prices.
    assert Counter(_kind(s) for s in seen) == {
        "INSERT sync_runs": 1,
        "UPDATE data_sources": 2,
        "SELECT minifigures": 1,
        "SELECT fx_rates": 2,
        "SELECT price_listings": 1,
        "INSERT price_listings": 3,
        "INSERT raw_observations": 1,
        "UPDATE sync_runs": 1,
        "lock snapshots": 1,
        "recompute snapshots": 1,
        "SELECT alert_rules": 1,
        "INSERT event_outbox": 1,
        "SELECT event_outbox": 1,
        "DELETE event_outbox": 1,
    }
