"""Delivering staged events: right after the commit, and by the relay for leftovers.

A batch may be handed to Redis twice (its worker died after publishing, before removing
it from the outbox); `EventBus.publish_batch_once` appends it to the log only once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from server.events import Event, encode
from server.store.outbox import claim, claim_stale, discard, stage
from workers.context import Services, services_of

logger = logging.getLogger(__name__)

# The normal path delivers within milliseconds of its commit; older rows were left behind.
STALE_AFTER = timedelta(seconds=30)
RELAY_BATCHES = 100


async def stage_events(session: AsyncSession, events: Sequence[Event]) -> int | None:
    """Stages events in the caller's transaction; None when there is nothing to send."""
    if not events:
        return None
    return await stage(session, [encode(event) for event in events])


async def deliver(services: Services, outbox_id: int | None) -> None:
    """Publishes a committed batch and removes it; a no-op if the relay already has it."""
    if outbox_id is None:
        return
    async with services.session_factory() as session, session.begin():
        batch = await claim(session, outbox_id)
        if batch is None:
            return
        await services.bus.publish_batch_once(batch.id, batch.payloads)
        await discard(session, [batch.id])


async def relay_outbox(ctx: dict[str, Any]) -> int:
    """Cron: publishes batches whose worker died between commit and delivery."""
    return await relay_stale(services_of(ctx), STALE_AFTER)


async def relay_stale(services: Services, older_than: timedelta) -> int:
    async with services.session_factory() as session, session.begin():
        batches = await claim_stale(session, older_than, RELAY_BATCHES)
        for batch in batches:
            await services.bus.publish_batch_once(batch.id, batch.payloads)
        await discard(session, [batch.id for batch in batches])
    if batches:
        logger.warning("relayed %d event batch(es) left behind by a dead worker", len(batches))
    return len(batches)
