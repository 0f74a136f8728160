"""Holding a worker at a chosen step of an ingest, so it can be killed right there."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

LOCK_ALL_FIGURES = (
    "SELECT count(pg_advisory_lock(hashtextextended('price_snapshots:' || id::text, 0))) "
    "FROM minifigures"
)
WORKER_WAITS_ON_LOCK = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
# A deliverer between its claim of a staged batch (the last statement of its open
# transaction) and the commit that removes the batch: waiting for Redis to take it.
DELIVERER_WAITING = """
    SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND state = 'idle in transaction'
      AND query LIKE 'SELECT event_outbox.payloads%FOR UPDATE SKIP LOCKED%'
"""
# The batches it claimed: a row lock sets xmax (read without taking locks, which would
# make the deliverer skip its own batch).
CLAIMED_BATCHES = "SELECT id, payloads FROM event_outbox WHERE xmax::text <> '0'"


@asynccontextmanager
async def held_before_recompute(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """Holds every figure's snapshot lock until the worker's next ingest waits on it: between
    its listing insert and its snapshot recompute, uncommitted. Leaving releases the locks.

    Yields the connection holding them (no ingest can commit meanwhile)."""
    connection = await asyncpg.connect(database_url)
    try:
        await connection.fetchval(LOCK_ALL_FIGURES)
        for _ in range(600):
            if await connection.fetchval(WORKER_WAITS_ON_LOCK):
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the worker never reached the snapshot recompute")
        yield connection
    finally:
        await connection.close()


async def batches_being_delivered(database_url: str) -> dict[int, list[str]]:
    """Staged batches that a deliverer claimed and is publishing right now, by outbox id."""
    connection = await asyncpg.connect(database_url)
    try:
        if not await connection.fetchval(DELIVERER_WAITING):
            return {}
        rows = await connection.fetch(CLAIMED_BATCHES)
    finally:
        await connection.close()
    return {row["id"]: list(row["payloads"]) for row in rows}
