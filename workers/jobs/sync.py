"""Price collection jobs: one figure from one source, the rolling schedule, the catalog."""

from __future__ import annotations

import logging
import random
from datetime import UTC, datetime
from typing import Any

from arq import Retry
from arq.connections import ArqRedis

from server.redaction import failure_record, secret_values
from server.store.identity import import_entries
from server.store.schedule import fig_nums_after
from server.store.sync_runs import (
    active_sources,
    data_source,
    finish_run,
    start_run,
)
from server.sync_queue import enqueue_price_sync
from workers.context import Services, http_of, services_of
from workers.pipeline.run import RunSummary, publish_run, run_ingest
from workers.sources import rebrickable
from workers.sources.boids import CatalogBoids
from workers.sources.errors import (
    QuotaExhaustedError,
    SourceNotConfiguredError,
    SourceUnavailableError,
)
from workers.sources.etiquette import Etiquette, backoff_delay
from workers.sources.http import SourceClient
from workers.sources.registry import (
    REQUESTS_PER_FIGURE,
    PriceSource,
    build_price_source,
    etiquette_for,
    is_configured,
)

logger = logging.getLogger(__name__)

SCHEDULE_MINUTES = 15
_RUNS_PER_DAY = 24 * 60 // SCHEDULE_MINUTES
UNLIMITED_FIGURES_PER_SLOT = 50
# Deferred retries: capped exponential backoff with jitter, at least what the source asked.
_RETRY_BASE_S = 5.0
_RETRY_CAP_S = 900.0


async def _etiquette(ctx: dict[str, Any], services: Services, code: str) -> Etiquette:
    cache: dict[str, Etiquette] = ctx.setdefault("etiquette", {})
    if code not in cache:
        async with services.session_factory() as session:
            row = await data_source(session, code)
        if row is None:
            raise SourceNotConfiguredError(code, "unknown data source")
        cache[code] = etiquette_for(row, services.redis, services.settings.redis_namespace)
    return cache[code]


async def price_source(ctx: dict[str, Any], code: str) -> PriceSource:
    """Adapters live as long as the worker: eBay's token cache and the breakers persist."""
    cache: dict[str, PriceSource] = ctx.setdefault("price_sources", {})
    if code not in cache:
        services = services_of(ctx)
        etiquette = await _etiquette(ctx, services, code)
        cache[code] = build_price_source(
            code, services.settings, http_of(ctx), etiquette, CatalogBoids(services.session_factory)
        )
    return cache[code]


async def sync_prices(
    ctx: dict[str, Any], source: str, fig_num: str, sync_run_id: int | None = None
) -> dict[str, int]:
    """`sync_run_id`: the QUEUED run recorded when the job was queued."""
    services = services_of(ctx)
    now = datetime.now(UTC)

    async def fetch() -> Any:
        # Inside the run: a source without credentials is a failed run on record too.
        adapter = await price_source(ctx, source)
        return await adapter.fetch(fig_num, now=now)

    try:
        summary: RunSummary = await run_ingest(
            services,
            source=source,
            kind="prices",
            fetch=fetch,
            params={"fig_num": fig_num},
            job_id=ctx.get("job_id"),
            queued_run_id=sync_run_id,
        )
    except QuotaExhaustedError:
        # Retrying cannot help today; the rolling schedule comes back tomorrow.
        logger.warning("%s: daily quota spent; %s skipped", source, fig_num)
        return {"saved": 0}
    except SourceUnavailableError as error:
        attempt = int(ctx.get("job_try", 1))
        delay = max(
            error.retry_after or 0.0,
            backoff_delay(attempt, base=_RETRY_BASE_S, cap=_RETRY_CAP_S),
        ) + random.uniform(0, _RETRY_BASE_S)
        logger.warning("%s unavailable (%s); retry %s in %.0fs", source, error, attempt, delay)
        raise Retry(defer=delay) from error
    return {"saved": summary.saved, "rejected": summary.rejected, "seen": summary.seen}


def deferred(ctx: dict[str, Any], error: SourceUnavailableError) -> Retry:
    """An ARQ retry after capped, jittered backoff, and never before the source asked."""
    attempt = int(ctx.get("job_try", 1))
    delay = max(
        error.retry_after or 0.0,
        backoff_delay(attempt, base=_RETRY_BASE_S, cap=_RETRY_CAP_S),
    ) + random.uniform(0, _RETRY_BASE_S)
    logger.warning("%s unavailable (%s); retry %s in %.0fs", error.source, error, attempt, delay)
    return Retry(defer=delay)


def figures_for_slot(daily_quota: int | None, requests_per_figure: int, slot: int) -> int:
    """How many figures schedule slot `slot` (0..95 of the UTC day) may sync.

    The day's budget (quota // requests per figure) is spread over the slots so that
    the slots of one day add up to exactly the budget, even when it is below one a slot.
    """
    if daily_quota is None:
        return UNLIMITED_FIGURES_PER_SLOT
    per_day = daily_quota // requests_per_figure
    return per_day * (slot + 1) // _RUNS_PER_DAY - per_day * slot // _RUNS_PER_DAY


async def schedule_prices(ctx: dict[str, Any]) -> dict[str, int]:
    """Enqueues the next slice of the catalog for every active, configured marketplace."""
    services = services_of(ctx)
    queue: ArqRedis = ctx["redis"]
    enqueued: dict[str, int] = {}
    now = datetime.now(UTC)
    slot = (now.hour * 60 + now.minute) // SCHEDULE_MINUTES
    async with services.session_factory() as session:
        sources = [
            s
            for s in await active_sources(session)
            if s.code in REQUESTS_PER_FIGURE and is_configured(s.code, services.settings)
        ]
        for source in sources:
            cursor_key = f"{services.settings.redis_namespace}:schedule:{source.code}"
            cursor = await services.redis.get(cursor_key)
            after = cursor.decode() if cursor else None
            limit = figures_for_slot(source.daily_quota, REQUESTS_PER_FIGURE[source.code], slot)
            fig_nums = await fig_nums_after(session, after, limit)
            if len(fig_nums) < limit:  # the end of the catalog: carry on from its start
                fig_nums += [
                    fig
                    for fig in await fig_nums_after(session, None, limit - len(fig_nums))
                    if fig not in fig_nums
                ]
            for fig_num in fig_nums:
                await enqueue_price_sync(
                    queue,
                    services.session_factory,
                    namespace=services.settings.redis_namespace,
                    queue_name=services.settings.worker_queue_name,
                    source=source.code,
                    fig_num=fig_num,
                )
            if fig_nums:
                await services.redis.set(cursor_key, fig_nums[-1])
            enqueued[source.code] = len(fig_nums)
    return enqueued


async def sync_catalog(ctx: dict[str, Any]) -> int:
    """Adds minifigures Rebrickable knows and the catalog lacks (known ones are kept)."""
    services = services_of(ctx)
    settings = services.settings
    if settings.rebrickable_api_key is None:
        raise SourceNotConfiguredError(rebrickable.SOURCE, "REBRICKABLE_API_KEY is not set")
    etiquette = await _etiquette(ctx, services, rebrickable.SOURCE)
    client = rebrickable.Rebrickable(
        SourceClient(rebrickable.SOURCE, http_of(ctx), etiquette, secrets=secret_values(settings)),
        settings.rebrickable_api_key,
        base_url=settings.rebrickable_base_url or rebrickable.API_URL,
    )
    async with services.session_factory() as session, session.begin():
        run = await start_run(
            session, source=rebrickable.SOURCE, kind="catalog", job_id=ctx.get("job_id")
        )
    await publish_run(services, run)
    seen = added = 0
    error: str | None = None
    try:
        # Page by page: a catalog import interrupted half-way is simply resumed next time.
        async for entries in client.minifig_pages():
            async with services.session_factory() as session, session.begin():
                outcome = await import_entries(session, entries, update_known=False)
            seen += len(entries)
            added += outcome.added
    except SourceUnavailableError as failure:
        error = failure_record(failure, secret_values(settings))
        raise deferred(ctx, failure) from failure
    except BaseException as failure:
        error = failure_record(failure, secret_values(settings))
        raise
    finally:
        async with services.session_factory() as session, session.begin():
            run = await finish_run(session, run.id, seen=seen, saved=added, rejected=0, error=error)
        await publish_run(services, run)
    return added
