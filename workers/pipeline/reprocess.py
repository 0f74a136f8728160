"""`stonks reprocess`: the pipeline run again over stored raw observations.

Normalize, classify and match run on the payloads exactly as on a fresh ingest: the
listings of those observations are deleted and stored again from the payloads in one
transaction, so a reprocess gives the same rows however often it runs (listing ids
change), and the snapshots of every day touched before or after are recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from server.store.listings import delete_listings
from server.store.provenance import raw_between, store_raw
from workers.context import Services
from workers.pipeline.aggregate import recompute
from workers.pipeline.persist import persist_batch
from workers.pipeline.provenance import from_json, raw_records


@dataclass(frozen=True, slots=True)
class ReprocessSummary:
    payloads: int
    stored: int
    rejected: int
    snapshots: int


async def reprocess(
    services: Services, *, source: str, first_day: date, last_day: date
) -> ReprocessSummary:
    """Reprocesses the payloads of `source` received in [first_day, last_day] (UTC)."""
    async with services.session_factory() as session:
        observations = [
            from_json(values) for values in await raw_between(session, source, first_day, last_day)
        ]
    keys = [o.key for o in observations if o.observed_at.tzinfo is not None]
    async with services.session_factory() as session, session.begin():
        before = await delete_listings(session, keys)
        outcome = await persist_batch(session, observations, now=datetime.now(UTC))
        await store_raw(session, raw_records(observations, outcome.rejections), sync_run_id=None)
    snapshots = await recompute(services, before | outcome.days, live=False)
    return ReprocessSummary(len(observations), outcome.saved, outcome.rejected, snapshots)
