"""Alerts as the API shows them: rules, their firings, webhook attempts."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from server.events import AlertTriggered as AlertTriggeredEvent
from server.graphql.context import Context
from server.graphql.money import MONEY, CurrencyArgument, money
from server.graphql.node import to_global_id
from server.graphql.types.connections import Connection
from server.graphql.types.enums import Condition, ListingKind
from server.graphql.types.minifigure import Minifigure
from server.graphql.types.node import Node
from server.models import AlertEvent as AlertEventRow
from server.models import AlertRule
from server.models import WebhookDelivery as WebhookDeliveryRow
from server.store.webhook_deliveries import recent_deliveries

MAX_DELIVERIES = 50


@strawberry.enum(description="Which side of the rule a price must reach.")
class AlertDirection(Enum):
    ABOVE = strawberry.enum_value(
        "ABOVE",
        description="Price rules: a price strictly above `price`. Move rules: a rise of at "
        "least `changePct` percent.",
    )
    BELOW = strawberry.enum_value(
        "BELOW",
        description="Price rules: a price strictly below `price`. Move rules: a fall of at "
        "least `changePct` percent.",
    )


@strawberry.enum(description="The window a move is measured over: from its median price.")
class AlertWindow(Enum):
    D1 = strawberry.enum_value("1D", description="The 24 hours before the price.")
    D7 = strawberry.enum_value("7D", description="The 7 days before the price.")
    D30 = strawberry.enum_value("30D", description="The 30 days before the price.")
    D90 = strawberry.enum_value("90D", description="The 90 days before the price.")

    @property
    def days(self) -> int:
        return int(str(self.value).removesuffix("D"))

    @classmethod
    def of_days(cls, days: int) -> AlertWindow:
        return next(w for w in cls if w.days == days)


@strawberry.enum(description="Where a firing's webhook delivery stands.")
class WebhookStatus(Enum):
    PENDING = strawberry.enum_value("PENDING", description="Not delivered yet; retries remain.")
    DELIVERED = strawberry.enum_value("DELIVERED", description="The receiver answered 2xx.")
    FAILED = strawberry.enum_value(
        "FAILED", description="Every attempt failed, or the target was refused."
    )


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


async def _minifigure(info: Info[Context, None], minifigure_id: uuid.UUID) -> Minifigure:
    row = await info.context.loaders.minifigure_by_id.load(minifigure_id)
    assert row is not None  # rules and firings go when their minifigure goes
    return Minifigure.from_row(row)


@strawberry.type(description="One attempt to POST a firing to the alert's webhook.")
class WebhookDelivery:
    alert_event_id: strawberry.ID = strawberry.field(description="The firing's global id.")
    attempt: int = strawberry.field(description="1 for the first attempt, and so on.")
    url: str = strawberry.field(description="Where it was POSTed.")
    status_code: int | None = strawberry.field(
        description="The receiver's HTTP status; null when none came (refused, unreachable)."
    )
    error: str | None = strawberry.field(description="Why it failed, if it did.")
    attempted_at: datetime = strawberry.field(description="When.")

    @classmethod
    def from_row(cls, row: WebhookDeliveryRow) -> WebhookDelivery:
        return cls(
            alert_event_id=strawberry.ID(to_global_id("AlertEvent", row.alert_event_id)),
            attempt=row.attempt,
            url=row.url,
            status_code=row.status_code,
            error=row.error,
            attempted_at=row.attempted_at,
        )


@strawberry.type(description="A price alert of yours.")
class Alert(Node):
    row: strawberry.Private[AlertRule]
    # Filled by a list that fetched the deliveries of all its alerts at once.
    deliveries: strawberry.Private[list[WebhookDeliveryRow] | None] = None
    condition: Condition = strawberry.field(description="The condition watched.")
    kind: ListingKind = strawberry.field(description="Sold prices or asking prices.")
    direction: AlertDirection = strawberry.field(description="Which side fires.")
    price: float | None = strawberry.field(description="Price rules: the amount, in `currency`.")
    currency: str | None = strawberry.field(description="Price rules: the amount's currency.")
    change_pct: float | None = strawberry.field(description="Move rules: the percent move.")
    window: AlertWindow | None = strawberry.field(description="Move rules: the window.")
    webhook_url: str | None = strawberry.field(description="Where firings are POSTed, if set.")
    armed: bool = strawberry.field(
        description="False after a firing, until a price that does not meet the rule comes: "
        "a crossing fires once."
    )
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it was last changed.")

    @strawberry.field(description="The minifigure watched.")
    async def minifigure(self, info: Info[Context, None]) -> Minifigure:
        return await _minifigure(info, self.row.minifigure_id)

    @strawberry.field(
        description=f"The webhook's latest delivery attempts, newest first (at most "
        f"{MAX_DELIVERIES})."
    )
    async def webhook_deliveries(self, info: Info[Context, None]) -> list[WebhookDelivery]:
        rows = self.deliveries
        if rows is None:
            async with info.context.session_factory() as session:
                rows = (await recent_deliveries(session, [self.row.id], MAX_DELIVERIES))[
                    self.row.id
                ]
        return [WebhookDelivery.from_row(row) for row in rows]

    @classmethod
    def from_row(cls, row: AlertRule, deliveries: list[WebhookDeliveryRow] | None = None) -> Alert:
        return cls(
            id=strawberry.ID(to_global_id("Alert", row.id)),
            row=row,
            deliveries=deliveries,
            condition=Condition(row.condition),
            kind=ListingKind[row.kind],
            direction=AlertDirection[row.direction],
            price=_float(row.price),
            currency=row.currency,
            change_pct=_float(row.change_pct),
            window=AlertWindow.of_days(row.window_days) if row.window_days else None,
            webhook_url=row.webhook_url,
            armed=row.armed,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.type(description="A firing of one of your alerts: the price that crossed.")
class AlertEvent(Node):
    minifigure_id: strawberry.Private[uuid.UUID]
    price_usd: strawberry.Private[Decimal]
    reference_usd: strawberry.Private[Decimal | None]
    alert_id: strawberry.ID = strawberry.field(description="The alert's global id.")
    source: str = strawberry.field(description="Where the price was seen.")
    kind: ListingKind = strawberry.field(description="A sale or an ask.")
    condition: Condition = strawberry.field(description="The listing's condition.")
    change_pct: float | None = strawberry.field(
        description="Move rules: the move from the window's median, in percent."
    )
    observed_at: datetime = strawberry.field(description="When the price was observed.")
    fired_at: datetime = strawberry.field(description="When the alert fired.")
    webhook_status: WebhookStatus | None = strawberry.field(
        description="The webhook delivery's state; null when the alert had no webhook."
    )

    @strawberry.field(description="The minifigure.")
    async def minifigure(self, info: Info[Context, None]) -> Minifigure:
        return await _minifigure(info, self.minifigure_id)

    @strawberry.field(graphql_type=MONEY, description="The price that crossed.")
    def price(self, info: Info[Context, None], currency: CurrencyArgument = "USD") -> object:
        return money(info, self.price_usd, self.observed_at.date(), currency)

    @strawberry.field(
        graphql_type=MONEY, description="Move rules: the window's median it moved from."
    )
    def reference_price(
        self, info: Info[Context, None], currency: CurrencyArgument = "USD"
    ) -> object:
        return money(info, self.reference_usd, self.observed_at.date(), currency)

    @classmethod
    def from_row(cls, row: AlertEventRow) -> AlertEvent:
        return cls(
            id=strawberry.ID(to_global_id("AlertEvent", row.id)),
            minifigure_id=row.minifigure_id,
            price_usd=row.price_usd,
            reference_usd=row.reference_usd,
            alert_id=strawberry.ID(to_global_id("Alert", row.alert_id)),
            source=row.source,
            kind=ListingKind[row.kind],
            condition=Condition(row.condition),
            change_pct=_float(row.change_pct),
            observed_at=row.observed_at,
            fired_at=row.fired_at,
            webhook_status=WebhookStatus[row.webhook_status] if row.webhook_status else None,
        )

    @classmethod
    def from_event(cls, event: AlertTriggeredEvent) -> AlertEvent:
        return cls(
            id=strawberry.ID(to_global_id("AlertEvent", event.alert_event_id)),
            minifigure_id=uuid.UUID(event.minifigure_id),
            price_usd=event.price_usd,
            reference_usd=event.reference_usd,
            alert_id=strawberry.ID(to_global_id("Alert", event.alert_id)),
            source=event.source,
            kind=ListingKind[event.kind],
            condition=Condition(event.condition),
            change_pct=_float(event.change_pct),
            observed_at=event.observed_at,
            fired_at=event.fired_at,
            webhook_status=WebhookStatus[event.webhook_status] if event.webhook_status else None,
        )


@strawberry.type(description="A page of your alert firings, newest first.")
class AlertEventConnection(Connection[AlertEvent]):
    pass


async def alerts_with_deliveries(
    info: Info[Context, None], rules: list[AlertRule], *, with_deliveries: bool
) -> list[Alert]:
    """The alerts of a list; their deliveries in one statement when the list selects them."""
    if not with_deliveries:
        return [Alert.from_row(rule) for rule in rules]
    async with info.context.session_factory() as session:
        found = await recent_deliveries(session, [r.id for r in rules], MAX_DELIVERIES)
    return [Alert.from_row(rule, found.get(rule.id, [])) for rule in rules]


AlertId = Annotated[strawberry.ID, strawberry.argument(description="The alert's global id.")]
