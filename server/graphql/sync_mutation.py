"""`triggerSync`: an administrator asks for a price sync of one minifigure now."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from server.graphql.context import Context
from server.graphql.node import to_global_id
from server.store.catalog import minifigure_ids_by_fig_num, normalize_fig_num
from server.store.errors import InvalidRecordError
from server.store.sync_runs import data_source
from server.sync_queue import enqueue_price_sync


@strawberry.enum(description="Sources whose prices a sync can collect.")
class SyncSource(Enum):
    BRICKLINK = "bricklink"
    EBAY = "ebay"
    BRICKOWL = "brickowl"
    DEMO = "demo"


@strawberry.enum(description="Why a sync was not queued.")
class TriggerSyncErrorCode(Enum):
    UNAUTHORIZED = "UNAUTHORIZED"
    INVALID_FIG_NUM = "INVALID_FIG_NUM"
    UNKNOWN_MINIFIGURE = "UNKNOWN_MINIFIGURE"
    SOURCE_INACTIVE = "SOURCE_INACTIVE"
    QUEUE_UNAVAILABLE = "QUEUE_UNAVAILABLE"


@strawberry.type(description="The sync is queued; its run appears in the sync runs.")
class TriggerSyncSuccess:
    job_id: str = strawberry.field(description="The queue's job id (one per source and figure).")
    already_queued: bool = strawberry.field(
        description="True when the same sync was already waiting or running: nothing was added."
    )
    sync_run_id: strawberry.ID | None = strawberry.field(
        description="The run's global id (QUEUED until a worker starts it): follow it with the "
        "`syncRun` subscription or `node`. When already queued, the waiting or running run."
    )


@strawberry.type(description="The sync was not queued.")
class TriggerSyncError:
    code: TriggerSyncErrorCode = strawberry.field(description="What went wrong.")
    message: str = strawberry.field(description="A human-readable explanation.")


TriggerSyncResult = Annotated[
    TriggerSyncSuccess | TriggerSyncError,
    strawberry.union("TriggerSyncResult", description="The outcome of `triggerSync`."),
]


@strawberry.type(description="Collection administration.")
class SyncMutation:
    @strawberry.mutation(
        description="Queue a price sync of one minifigure from one source (admin API key)."
    )
    async def trigger_sync(
        self,
        info: Info[Context, None],
        source: Annotated[SyncSource, strawberry.argument(description="Where to collect from.")],
        fig_num: Annotated[
            str, strawberry.argument(description="The minifigure's fig number, e.g. `sw0001a`.")
        ],
    ) -> TriggerSyncResult:
        context = info.context
        if not context.is_admin:
            return TriggerSyncError(
                code=TriggerSyncErrorCode.UNAUTHORIZED,
                message="send `Authorization: Bearer <ADMIN_API_KEY>`",
            )
        try:
            normalized = normalize_fig_num(fig_num)
        except InvalidRecordError as error:
            return TriggerSyncError(code=TriggerSyncErrorCode.INVALID_FIG_NUM, message=str(error))
        async with context.session_factory() as session:
            row = await data_source(session, source.value)
            known = await minifigure_ids_by_fig_num(session, [normalized])
        if row is None or not row.active:
            return TriggerSyncError(
                code=TriggerSyncErrorCode.SOURCE_INACTIVE,
                message=f"source {source.value} is not active",
            )
        if normalized not in known:
            return TriggerSyncError(
                code=TriggerSyncErrorCode.UNKNOWN_MINIFIGURE,
                message=f"no minifigure {normalized} in the catalog",
            )
        if context.job_queue is None:
            return TriggerSyncError(
                code=TriggerSyncErrorCode.QUEUE_UNAVAILABLE, message="no job queue configured"
            )
        queued = await enqueue_price_sync(
            context.job_queue,
            context.session_factory,
            namespace=context.settings.redis_namespace,
            queue_name=context.settings.worker_queue_name,
            source=source.value,
            fig_num=normalized,
        )
        run_id = queued.sync_run_id
        return TriggerSyncSuccess(
            job_id=queued.job_id,
            already_queued=queued.already_queued,
            sync_run_id=None if run_id is None else strawberry.ID(to_global_id("SyncRun", run_id)),
        )
