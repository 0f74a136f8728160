"""Which events a subscription wants, and the index keys that find it without a scan.

Each criteria names its `routes`: keys under which the route index files it. An event
names the keys it can match (`event_routes`); the hub looks those up and then checks the
few candidates in full (condition, kind and the price bound are checked there).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal

from server.events import AlertTriggered, Event, PriceTick, SnapshotUpdated, SyncRunUpdated
from server.store.deals import is_deal, is_offered

RouteKey = Hashable


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

    def routes(self) -> list[RouteKey]:
        # The most selective set decides; the others are checked on the candidates.
        if self.minifigure_ids is not None:
            return [("tick:minifigure", m) for m in self.minifigure_ids]
        if self.fig_nums is not None:
            return [("tick:fig_num", f) for f in self.fig_nums]
        if self.themes is not None:
            return [("tick:theme", t) for t in self.themes]
        return [("tick", self.condition, self.kind)]


@dataclass(frozen=True, slots=True)
class SnapshotCriteria:
    minifigure_ids: frozenset[str] | None = None

    def __call__(self, event: Event) -> bool:
        return isinstance(event, SnapshotUpdated) and (
            self.minifigure_ids is None or event.minifigure_id in self.minifigure_ids
        )

    def routes(self) -> list[RouteKey]:
        if self.minifigure_ids is None:
            return [("snapshot",)]
        return [("snapshot:minifigure", m) for m in self.minifigure_ids]


@dataclass(frozen=True, slots=True)
class SyncRunCriteria:
    sync_run_id: int

    def __call__(self, event: Event) -> bool:
        return isinstance(event, SyncRunUpdated) and event.sync_run_id == self.sync_run_id

    def routes(self) -> list[RouteKey]:
        return [("sync_run", self.sync_run_id)]


@dataclass(frozen=True, slots=True)
class AlertCriteria:
    """One account's alert firings: the owner is the route, so no one else's are offered."""

    account_id: str

    def __call__(self, event: Event) -> bool:
        return isinstance(event, AlertTriggered) and event.account_id == self.account_id

    def routes(self) -> list[RouteKey]:
        return [("alert", self.account_id)]


@dataclass(frozen=True, slots=True)
class DealCriteria:
    """Offered asks that are deals at `min_discount_pct` against the sold median they
    carry; `items` (watchlist pairs of minifigure id and condition) narrows them."""

    min_discount_pct: Decimal
    condition: str | None = None
    items: frozenset[tuple[str, str]] | None = None

    def __call__(self, event: Event) -> bool:
        if not isinstance(event, PriceTick) or event.sold_median_usd is None:
            return False
        if not is_offered(event.kind, event.excluded_reason):
            return False
        if self.condition is not None and event.condition != self.condition:
            return False
        if self.items is not None and (event.minifigure_id, event.condition) not in self.items:
            return False
        return is_deal(event.price_usd, event.sold_median_usd, self.min_discount_pct)

    def routes(self) -> list[RouteKey]:
        if self.items is not None:
            return [("deal:item", *item) for item in self.items]
        return [("deal", self.condition)]


Criteria = TickCriteria | SnapshotCriteria | SyncRunCriteria | AlertCriteria | DealCriteria


def event_routes(event: Event) -> list[RouteKey]:
    """Every key under which a subscription that may want this event is filed."""
    if isinstance(event, PriceTick):
        deal_routes: list[RouteKey] = []
        if event.sold_median_usd is not None:
            deal_routes = [
                ("deal", None),
                ("deal", event.condition),
                ("deal:item", event.minifigure_id, event.condition),
            ]
        return [
            *deal_routes,
            ("tick:minifigure", event.minifigure_id),
            ("tick:fig_num", event.fig_num),
            ("tick:theme", (event.theme or "").casefold()),
            ("tick", None, None),
            ("tick", event.condition, None),
            ("tick", None, event.kind),
            ("tick", event.condition, event.kind),
        ]
    if isinstance(event, SnapshotUpdated):
        return [("snapshot",), ("snapshot:minifigure", event.minifigure_id)]
    if isinstance(event, AlertTriggered):
        return [("alert", event.account_id)]
    return [("sync_run", event.sync_run_id)]
