"""What the live subscriptions push: one type per event, each with its event id."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry
from strawberry.types import Info

from server.events import PriceTick as PriceTickEvent
from server.events import SnapshotUpdated, SyncRunUpdated
from server.graphql.context import Context
from server.graphql.node import to_global_id
from server.graphql.types.enums import Condition, ListingKind
from server.graphql.types.minifigure import Minifigure
from server.graphql.types.sources import SyncStatus

_EVENT_ID_DESCRIPTION = (
    "The event's id in the replay log; pass the last one you received as `since` "
    "when you resubscribe to get what you missed."
)

_MINIFIGURE_DESCRIPTION = "The minifigure; null if it was deleted since or could not be loaded."


def _cached_minifigure(info: Info[Context, None], minifigure_id: str) -> Minifigure | None:
    # The hub loaded every minifigure of the event's batch before handing it out.
    assert info.context.live is not None
    row = info.context.live.minifigures.get(minifigure_id)
    return Minifigure.from_row(row) if row else None


@strawberry.type(description="A price listing that was just stored.")
class PriceTick:
    event: strawberry.Private[PriceTickEvent]
    event_id: str = strawberry.field(description=_EVENT_ID_DESCRIPTION)
    listing_id: strawberry.ID = strawberry.field(description="The listing's global id.")
    source: str = strawberry.field(description="The marketplace, e.g. `bricklink`.")
    kind: ListingKind = strawberry.field(description="A sale or an asking price.")
    condition: Condition = strawberry.field(description="New or used.")
    price_usd: Decimal = strawberry.field(description="Unit price in US dollars.")
    quantity: int = strawberry.field(description="Units in the listing.")
    observed_at: datetime = strawberry.field(
        description="Sale date for SOLD, observation time for ASK."
    )
    excluded_reason: str | None = strawberry.field(
        description="Why the listing is left out of statistics (e.g. `outlier`); null if not."
    )

    @strawberry.field(
        description="The minifigure; null if it was deleted since or could not be loaded."
    )
    def minifigure(self, info: Info[Context, None]) -> Minifigure | None:
        return _cached_minifigure(info, self.event.minifigure_id)

    @classmethod
    def from_event(cls, event_id: str, event: PriceTickEvent) -> PriceTick:
        return cls(
            event=event,
            event_id=event_id,
            listing_id=strawberry.ID(to_global_id("Listing", event.listing_id)),
            source=event.source,
            kind=ListingKind(event.kind),
            condition=Condition(event.condition),
            price_usd=event.price_usd,
            quantity=event.quantity,
            observed_at=event.observed_at,
            excluded_reason=event.excluded_reason,
        )


@strawberry.type(description="A minifigure's daily price snapshot was recomputed.")
class SnapshotUpdate:
    event: strawberry.Private[SnapshotUpdated]
    event_id: str = strawberry.field(description=_EVENT_ID_DESCRIPTION)
    day: date = strawberry.field(description="The day of the snapshot (UTC).")
    condition: Condition = strawberry.field(description="New or used.")

    @strawberry.field(
        description="The minifigure; null if it was deleted since or could not be loaded."
    )
    def minifigure(self, info: Info[Context, None]) -> Minifigure | None:
        return _cached_minifigure(info, self.event.minifigure_id)

    @classmethod
    def from_event(cls, event_id: str, event: SnapshotUpdated) -> SnapshotUpdate:
        return cls(
            event=event,
            event_id=event_id,
            day=event.day,
            condition=Condition(event.condition),
        )


@strawberry.type(description="Progress of a sync run: sent when it starts, moves on and ends.")
class SyncRunProgress:
    event_id: str = strawberry.field(description=_EVENT_ID_DESCRIPTION)
    sync_run_id: strawberry.ID = strawberry.field(description="The sync run's global id.")
    source: str = strawberry.field(description="The data source, e.g. `ebay`.")
    status: SyncStatus = strawberry.field(description="Where the run is.")
    seen: int = strawberry.field(description="Records fetched so far.")
    saved: int = strawberry.field(description="Records stored so far.")
    rejected: int = strawberry.field(description="Records refused by validation so far.")
    error: str | None = strawberry.field(description="Why the run failed; null otherwise.")

    @property
    def finished(self) -> bool:
        return self.status in (SyncStatus.SUCCEEDED, SyncStatus.FAILED)

    @classmethod
    def from_event(cls, event_id: str, event: SyncRunUpdated) -> SyncRunProgress:
        return cls(
            event_id=event_id,
            sync_run_id=strawberry.ID(to_global_id("SyncRun", event.sync_run_id)),
            source=event.source,
            status=SyncStatus(event.status),
            seen=event.seen,
            saved=event.saved,
            rejected=event.rejected,
            error=event.error,
        )


@strawberry.input(description="Which price ticks to receive; omitted fields match anything.")
class PriceTickFilter:
    minifigure_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only these minifigures (global ids)."
    )
    fig_nums: list[str] | None = strawberry.field(
        default=None, description="Only these fig numbers (case-insensitive)."
    )
    themes: list[str] | None = strawberry.field(
        default=None, description="Only minifigures of these themes (case-insensitive)."
    )
    condition: Condition | None = strawberry.field(default=None, description="Only this condition.")
    kind: ListingKind | None = strawberry.field(default=None, description="Only sales or asks.")
    max_price_usd: Decimal | None = strawberry.field(
        default=None, description="Only unit prices at or below this, in US dollars."
    )
