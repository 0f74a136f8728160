"""Provenance retention: raw payloads older than RAW_RETENTION_DAYS are deleted daily."""

from __future__ import annotations

from typing import Any

from server.store.provenance import prune_raw
from workers.context import services_of


async def prune_raw_observations(ctx: dict[str, Any]) -> int:
    services = services_of(ctx)
    async with services.session_factory() as session, session.begin():
        return await prune_raw(session, keep_days=services.settings.raw_retention_days)
