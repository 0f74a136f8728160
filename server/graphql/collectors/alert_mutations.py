"""createAlert, updateAlert, deleteAlert (WRITE scope, own alerts only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from server.alerts.signature import new_secret
from server.alerts.webhook_target import (
    WebhookTargetRefusedError,
    WebhookUrlError,
    check_target,
)
from server.graphql.collectors.access import AccessDenied, denied, writing_account
from server.graphql.collectors.alert_types import Alert, AlertDirection, AlertId, AlertWindow
from server.graphql.collectors.errors import AlertError
from server.graphql.collectors.ids import local_uuid
from server.graphql.context import Context
from server.graphql.errors import ClientError
from server.graphql.money import currency_code
from server.graphql.mutation_errors import ErrorCode
from server.graphql.types.enums import Condition, ListingKind
from server.models import AlertRule
from server.store.alert_rules import add_rule, change_rule, remove_rule, rule_of
from server.store.portfolio_prices import first_rate_days

# The columns' ranges: NUMERIC(12, 2) and NUMERIC(8, 2).
MAX_PRICE = Decimal("9999999999.99")
MAX_CHANGE_PCT = Decimal("1000")


@strawberry.input(
    description="A price alert: either `price` (+ `currency`) or `changePct` (+ `window`)."
)
class CreateAlertInput:
    minifigure_id: strawberry.ID = strawberry.field(description="The minifigure's global id.")
    condition: Condition = strawberry.field(default=Condition.USED, description="Its condition.")
    kind: ListingKind = strawberry.field(
        default=ListingKind.SOLD, description="Watch sold prices or asking prices."
    )
    direction: AlertDirection = strawberry.field(description="Which side fires.")
    price: Decimal | None = strawberry.field(
        default=None, description="Fire on a price beyond this amount (in `currency`)."
    )
    currency: str | None = strawberry.field(
        default=None, description="ISO 4217 code of `price` (default USD)."
    )
    change_pct: Decimal | None = strawberry.field(
        default=None, description="Fire on a move of at least this many percent."
    )
    window: AlertWindow | None = strawberry.field(
        default=None, description="The window the move is measured over (default 7D)."
    )
    webhook_url: str | None = strawberry.field(
        default=None, description="POST each firing here (http or https), signed."
    )


@strawberry.input(description="Alert fields to change; fields left out keep their value.")
class UpdateAlertInput:
    minifigure_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET)
    condition: Condition | None = strawberry.field(default=strawberry.UNSET)
    kind: ListingKind | None = strawberry.field(default=strawberry.UNSET)
    direction: AlertDirection | None = strawberry.field(default=strawberry.UNSET)
    price: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="null with `changePct` set: a move rule now."
    )
    currency: str | None = strawberry.field(default=strawberry.UNSET)
    change_pct: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="null with `price` set: a price rule now."
    )
    window: AlertWindow | None = strawberry.field(default=strawberry.UNSET)
    webhook_url: str | None = strawberry.field(
        default=strawberry.UNSET, description="null removes the webhook."
    )


@strawberry.type(description="The alert is created.")
class CreateAlertSuccess:
    alert: Alert = strawberry.field(description="The alert.")
    webhook_secret: str = strawberry.field(
        description="Shown once: the key of the HMAC-SHA256 signature of every webhook POST "
        "(`X-Stonks-Signature: sha256=<hex of HMAC(secret, timestamp + '.' + body)>`)."
    )


@strawberry.type(description="The alert is saved.")
class AlertSuccess:
    alert: Alert = strawberry.field(description="The alert as it is now.")


@strawberry.type(description="The alert is deleted, with its firings and delivery log.")
class DeleteAlertSuccess:
    deleted_id: strawberry.ID = strawberry.field(description="The global id it had.")


CreateAlertResult = Annotated[
    CreateAlertSuccess | AlertError,
    strawberry.union("CreateAlertResult", description="createAlert's outcome."),
]
UpdateAlertResult = Annotated[
    AlertSuccess | AlertError,
    strawberry.union("UpdateAlertResult", description="updateAlert's outcome."),
]
DeleteAlertResult = Annotated[
    DeleteAlertSuccess | AlertError,
    strawberry.union("DeleteAlertResult", description="deleteAlert's outcome."),
]

_NO_ALERT = "you have no such alert"
_FIELDS = (
    "minifigure_id",
    "condition",
    "kind",
    "direction",
    "price",
    "currency",
    "change_pct",
    "window",
    "webhook_url",
)


def _error(code: ErrorCode, field: str | None, message: str) -> AlertError:
    return AlertError(code=code, field=field, message=message)


async def _rule_values(
    info: Info[Context, None], given: dict[str, Any]
) -> dict[str, Any] | AlertError:
    """The columns of a valid rule, or the first rule the values break."""
    price, change_pct = given["price"], given["change_pct"]
    if (price is None) == (change_pct is None):
        return _error(
            ErrorCode.INVALID_RULE,
            "price" if price is not None else "changePct",
            "give either price (a level) or changePct (a move), not both and not neither",
        )
    for name, value in (
        ("direction", given["direction"]),
        ("condition", given["condition"]),
        ("kind", given["kind"]),
    ):
        if value is None:
            return _error(ErrorCode.INVALID_VALUE, name, "may not be null")
    values: dict[str, Any] = {
        "condition": given["condition"].to_store().value,
        "kind": given["kind"].to_store().value,
        "direction": given["direction"].name,
        "price": None,
        "currency": None,
        "change_pct": None,
        "window_days": None,
    }
    if price is not None:
        if given["window"] is not None:
            return _error(ErrorCode.INVALID_RULE, "window", "a price rule has no window")
        if not price.is_finite() or not Decimal(0) < price <= MAX_PRICE:
            return _error(ErrorCode.INVALID_VALUE, "price", f"must lie in (0, {MAX_PRICE}]")
        currency = await _known_currency(info, given["currency"] or "USD")
        if isinstance(currency, AlertError):
            return currency
        values |= {"price": price.quantize(Decimal("0.01")), "currency": currency}
    else:
        if given["currency"] is not None:
            return _error(ErrorCode.INVALID_RULE, "currency", "a move rule has no currency")
        if not change_pct.is_finite() or not Decimal(0) < change_pct <= MAX_CHANGE_PCT:
            return _error(
                ErrorCode.INVALID_VALUE, "changePct", f"must lie in (0, {MAX_CHANGE_PCT}]"
            )
        window = given["window"] or AlertWindow.D7
        values |= {"change_pct": change_pct.quantize(Decimal("0.01")), "window_days": window.days}
    url = given["webhook_url"]
    if url is not None:
        url = url.strip()
        try:
            await check_target(url, allow_private=info.context.settings.alert_webhook_allow_private)
        except WebhookUrlError as error:
            return _error(ErrorCode.INVALID_WEBHOOK_URL, "webhookUrl", str(error))
        except WebhookTargetRefusedError as error:
            return _error(ErrorCode.WEBHOOK_TARGET_REFUSED, "webhookUrl", str(error))
    values["webhook_url"] = url
    return values


async def _known_currency(info: Info[Context, None], raw: str) -> str | AlertError:
    try:
        code = currency_code(raw)
    except ClientError as error:
        return _error(ErrorCode.UNKNOWN_CURRENCY, "currency", str(error))
    if code == "USD":
        return code
    async with info.context.session_factory() as session:
        known = await first_rate_days(session)
    if code not in known:
        return _error(ErrorCode.UNKNOWN_CURRENCY, "currency", f"no exchange rates for {code}")
    return code


async def _minifigure_id(info: Info[Context, None], global_id: str) -> Any:
    minifigure_id = local_uuid(global_id, "Minifigure")
    figure = (
        await info.context.loaders.minifigure_by_id.load(minifigure_id) if minifigure_id else None
    )
    if figure is None:
        return _error(ErrorCode.NOT_FOUND, "minifigureId", "no minifigure has this id")
    return figure.id


def _stored(row: AlertRule) -> dict[str, Any]:
    return {
        "condition": Condition(row.condition),
        "kind": ListingKind[row.kind],
        "direction": AlertDirection[row.direction],
        "price": row.price,
        "currency": row.currency,
        "change_pct": row.change_pct,
        "window": AlertWindow.of_days(row.window_days) if row.window_days else None,
        "webhook_url": row.webhook_url,
    }


@strawberry.type(description="Your price alerts.")
class AlertMutation:
    @strawberry.mutation(
        description="Create a price alert; the answer shows its webhook secret, once."
    )
    async def create_alert(
        self, info: Info[Context, None], input: CreateAlertInput
    ) -> CreateAlertResult:
        try:
            owner = writing_account(info)
        except AccessDenied as failure:
            return denied(AlertError, failure)
        minifigure_id = await _minifigure_id(info, input.minifigure_id)
        if isinstance(minifigure_id, AlertError):
            return minifigure_id
        values = await _rule_values(info, {name: getattr(input, name) for name in _FIELDS})
        if isinstance(values, AlertError):
            return values
        secret = new_secret()
        async with info.context.session_factory() as session, session.begin():
            row = await add_rule(
                session,
                owner,
                values | {"minifigure_id": minifigure_id, "webhook_secret": secret},
            )
        return CreateAlertSuccess(alert=Alert.from_row(row, []), webhook_secret=secret)

    @strawberry.mutation(description="Change one of your alerts (it starts armed again).")
    async def update_alert(
        self, info: Info[Context, None], id: AlertId, input: UpdateAlertInput
    ) -> UpdateAlertResult:
        try:
            owner = writing_account(info)
        except AccessDenied as failure:
            return denied(AlertError, failure)
        alert_id = local_uuid(id, "Alert")
        async with info.context.session_factory() as session, session.begin():
            row = await rule_of(session, owner, alert_id) if alert_id else None
            if row is None:
                return _error(ErrorCode.NOT_FOUND, "id", _NO_ALERT)
            given = {
                name: getattr(input, name)
                for name in _FIELDS
                if getattr(input, name) is not strawberry.UNSET
            }
            minifigure_id = row.minifigure_id
            if "minifigure_id" in given:
                found = await _minifigure_id(info, given["minifigure_id"] or "")
                if isinstance(found, AlertError):
                    return found
                minifigure_id = found
            merged = _stored(row) | given
            # Switching between a price and a move rule drops the other shape's leftovers.
            if merged["change_pct"] is not None and "currency" not in given:
                merged["currency"] = None
            if merged["price"] is not None and "window" not in given:
                merged["window"] = None
            values = await _rule_values(info, merged)
            if isinstance(values, AlertError):
                return values
            await change_rule(session, row, values | {"minifigure_id": minifigure_id})
        return AlertSuccess(alert=Alert.from_row(row))

    @strawberry.mutation(description="Delete one of your alerts, its firings and delivery log.")
    async def delete_alert(self, info: Info[Context, None], id: AlertId) -> DeleteAlertResult:
        try:
            owner = writing_account(info)
        except AccessDenied as failure:
            return denied(AlertError, failure)
        alert_id = local_uuid(id, "Alert")
        removed = False
        if alert_id is not None:
            async with info.context.session_factory() as session, session.begin():
                removed = await remove_rule(session, owner, alert_id)
        if not removed:
            return _error(ErrorCode.NOT_FOUND, "id", _NO_ALERT)
        return DeleteAlertSuccess(deleted_id=id)
