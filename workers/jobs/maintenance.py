"""Jobs that keep the worker's view of its database honest."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from server.store.sync_runs import fail_abandoned_runs
from workers.context import services_of, session_factory_of


async def check_database(ctx: dict[str, Any]) -> str:
    """Round-trips to PostgreSQL; returns the server version the worker is talking to."""
    async with session_factory_of(ctx)() as session:
        version = await session.scalar(text("SHOW server_version"))
    return str(version)


async def reap_abandoned_runs(ctx: dict[str, Any]) -> int:
    """Marks runs of dead workers failed (see fail_abandoned_runs)."""
    services = services_of(ctx)
    async with services.session_factory() as session, session.begin():
        return await fail_abandoned_runs(
            session, older_than_s=2 * services.settings.worker_job_timeout_s
        )
