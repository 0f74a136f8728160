"""Which events a subscription wants, checked once per event per subscriber (so: cheap)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from server.events import Event, PriceTick, SnapshotUpdated, SyncRunUpdated


@dataclass(frozen=True, slots=True)
class TickCriteria:
    """None matches anything; a set matches its members (an empty set: nothing)."""

    minifigure_ids: frozenset[str] | None = None
    fig_nums: frozenset[str] | None = None
    themes: frozenset[str] | None = None  # casefolded
    condition: str | None = None
    kind: str | None = None
    max_price_usd: Decimal | None = None

    def __call__(self, event: Event) -> bool:
        if not isinstance(event, PriceTick):
            return False
        if self.minifigure_ids is not None and event.minifigure_id not in self.minifigure_ids:
            return False
        if self.fig_nums is not None and event.fig_num not in self.fig_nums:
            return False
        if self.themes is not None and (event.theme or "").casefold() not in self.themes:
            return False
        if self.condition is not None and event.condition != self.condition:
            return False
        if self.kind is not None and event.kind != self.kind:
            return False
        return self.max_price_usd is None or event.price_usd <= self.max_price_usd


@dataclass(frozen=True, slots=True)
class SnapshotCriteria:
    minifigure_ids: frozenset[str] | None = None

    def __call__(self, event: Event) -> bool:
        return isinstance(event, SnapshotUpdated) and (
            self.minifigure_ids is None or event.minifigure_id in self.minifigure_ids
        )


@dataclass(frozen=True, slots=True)
class SyncRunCriteria:
    sync_run_id: int

    def __call__(self, event: Event) -> bool:
        return isinstance(event, SyncRunUpdated) and event.sync_run_id == self.sync_run_id
