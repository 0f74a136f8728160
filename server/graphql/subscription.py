"""The root Subscription type: live events over WebSocket (graphql-transport-ws).

Every subscription takes an optional `since` (an event id it received before): it then
first replays what came after that id from the replay log, then continues live, in log
order and without duplicates. Expected failures end the subscription with an error whose
`extensions.code` says why (see `ResumeError` codes and `AUTH_REQUIRED`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Coroutine, Hashable
from typing import Annotated, Any, Never

import strawberry
from strawberry.types import Info

from server.events import Envelope, PriceTick, SnapshotUpdated, SyncRunUpdated
from server.graphql.auth import admin_from_connection_params
from server.graphql.context import Context
from server.graphql.errors import INTERNAL_ERROR_MESSAGE, ClientError
from server.graphql.live_delivery import ToRoot, subscription
from server.graphql.node import from_global_id, uuid_of
from server.graphql.types.live import PriceTick as PriceTickType
from server.graphql.types.live import (
    PriceTickFilter,
    SnapshotUpdate,
    SyncRunProgress,
)
from server.live.filters import Criteria, SnapshotCriteria, SyncRunCriteria, TickCriteria
from server.store.catalog import normalize_fig_num
from server.store.errors import InvalidRecordError

logger = logging.getLogger("server.graphql")

SINCE = strawberry.argument(
    description="Resume after this event id (the last `eventId` you received): what came "
    "after it is replayed first. Omit to start with the next event."
)


@strawberry.type(description="Live updates, pushed over WebSocket (graphql-transport-ws).")
class Subscription:
    @strawberry.subscription(description="Every price listing stored from now on (or since).")
    async def price_ticks(
        self,
        info: Info[Context, None],
        filter: Annotated[
            PriceTickFilter | None, strawberry.argument(description="Which ticks to receive.")
        ] = None,
        since: Annotated[str | None, SINCE] = None,
    ) -> AsyncIterator[PriceTickType]:
        return served(info, _tick_criteria(filter), since, _tick)

    @strawberry.subscription(description="Daily price snapshots as they are recomputed.")
    async def snapshot_updated(
        self,
        info: Info[Context, None],
        minifigure_ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(description="Only these minifigures (global ids); omit for all."),
        ] = None,
        since: Annotated[str | None, SINCE] = None,
    ) -> AsyncIterator[SnapshotUpdate]:
        return served(info, SnapshotCriteria(_minifigure_ids(minifigure_ids)), since, _snapshot)

    @strawberry.subscription(
        description="Progress of one sync run, until it succeeds or fails (then the "
        "subscription completes). Needs the admin API key in `connection_init`."
    )
    async def sync_run(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The sync run's global id.")],
        since: Annotated[str | None, SINCE] = None,
    ) -> AsyncIterator[SyncRunProgress]:
        if not admin_from_connection_params(info.context.settings, info.context.connection_params):
            raise ClientError("AUTH_REQUIRED", "syncRun needs the admin API key in connection_init")
        return served(
            info, SyncRunCriteria(_sync_run_id(id)), since, _progress, ends_with=_finished
        )


def _tick(envelope: Envelope) -> object:
    assert isinstance(envelope.event, PriceTick)
    return PriceTickType.from_event(envelope.id, envelope.event)


def _snapshot(envelope: Envelope) -> object:
    assert isinstance(envelope.event, SnapshotUpdated)
    return SnapshotUpdate.from_event(envelope.id, envelope.event)


def _progress(envelope: Envelope) -> object:
    assert isinstance(envelope.event, SyncRunUpdated)
    return SyncRunProgress.from_event(envelope.id, envelope.event)


def _finished(root: object) -> bool:
    return isinstance(root, SyncRunProgress) and root.finished


class _Served(AsyncIterator[Never]):
    """The event stream graphql-core expects from a subscription, yielding nothing itself.

    Its events reach the client through the operation shared by every identical
    subscription (`live_delivery`), executed once per event, never per subscriber here.
    It ends when the subscription completes, and raises its expected errors.
    """

    def __init__(self, serving: Coroutine[Any, Any, None], request_id: str) -> None:
        self._serving = serving
        self._request_id = request_id

    async def __anext__(self) -> Never:
        try:
            await self._serving
        except ClientError:
            raise
        except Exception as error:
            logger.exception("unexpected error in a subscription (request id %s)", self._request_id)
            masked = ClientError("INTERNAL_SERVER_ERROR", INTERNAL_ERROR_MESSAGE)
            masked.extensions["requestId"] = self._request_id
            raise masked from error
        raise StopAsyncIteration

    async def aclose(self) -> None:
        self._serving.close()


def _never_ends(root: object) -> bool:
    return False


def served(
    info: Info[Context, None],
    criteria: Criteria,
    since: str | None,
    to_root: ToRoot,
    ends_with: Callable[[object], bool] = _never_ends,
    private_to: Hashable = None,
) -> _Served:
    """A subscription served through the hub's shared operations (see `_Served`)."""
    serving = subscription(
        info.schema._schema, info.context, criteria, since, to_root, ends_with, private_to
    )
    return _Served(serving, info.context.request_id)


def _tick_criteria(filter: PriceTickFilter | None) -> TickCriteria:
    if filter is None:
        return TickCriteria()
    return TickCriteria(
        minifigure_ids=_minifigure_ids(filter.minifigure_ids),
        fig_nums=_fig_nums(filter.fig_nums),
        themes=frozenset(t.casefold() for t in filter.themes)
        if filter.themes is not None
        else None,
        condition=filter.condition.to_store().value if filter.condition is not None else None,
        kind=filter.kind.to_store().value if filter.kind is not None else None,
        max_price_usd=filter.max_price_usd,
    )


def _minifigure_ids(ids: list[strawberry.ID] | None) -> frozenset[str] | None:
    if ids is None:
        return None
    found = set()
    for global_id in ids:
        minifigure_id = uuid_of(global_id, "Minifigure")
        if minifigure_id is None:
            raise ClientError("INVALID_ID", f"{global_id!r} is not a minifigure id")
        found.add(str(minifigure_id))
    return frozenset(found)


def _fig_nums(fig_nums: list[str] | None) -> frozenset[str] | None:
    if fig_nums is None:
        return None
    try:
        return frozenset(normalize_fig_num(f) for f in fig_nums)
    except InvalidRecordError as error:
        raise ClientError("INVALID_FIG_NUM", str(error)) from error


def _sync_run_id(global_id: str) -> int:
    type_name, local_id = from_global_id(global_id)
    if type_name != "SyncRun" or not local_id.isdigit():
        raise ClientError("INVALID_ID", f"{global_id!r} is not a sync run id")
    return int(local_id)
