"""Watchlist and holdings: add, change, remove (WRITE scope, own objects only)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import strawberry
from strawberry.types import Info
from strawberry.utils.str_converters import to_camel_case

from server.collectors.holding_rules import holding_problems
from server.graphql.collectors.access import AccessDenied, denied, writing_account
from server.graphql.collectors.collection_types import Holding, WatchlistItem
from server.graphql.collectors.errors import HoldingError, WatchlistError
from server.graphql.collectors.ids import local_uuid
from server.graphql.context import Context
from server.graphql.errors import ClientError
from server.graphql.money import currency_code
from server.graphql.mutation_errors import ErrorCode
from server.graphql.types.enums import Condition
from server.store.holdings import (
    NewHolding,
    add_holdings,
    holding_of,
    remove_holding,
    update_holding,
)
from server.store.portfolio_prices import first_rate_days
from server.store.watchlist import add_to_watchlist, remove_from_watchlist, watchlist_rows


@strawberry.input(description="A minifigure in a condition.")
class WatchlistInput:
    minifigure_id: strawberry.ID = strawberry.field(description="The minifigure's global id.")
    condition: Condition = strawberry.field(
        default=Condition.USED, description="Which condition to follow."
    )


@strawberry.input(description="Units of a minifigure you own.")
class AddHoldingInput:
    minifigure_id: strawberry.ID = strawberry.field(description="The minifigure's global id.")
    condition: Condition = strawberry.field(description="The units' condition.")
    quantity: int = strawberry.field(description="How many (1 to 100000).")
    unit_cost: Decimal = strawberry.field(description="What one unit cost, in `currency`.")
    currency: str = strawberry.field(description="ISO 4217 code, e.g. `EUR`.")
    acquired_on: date = strawberry.field(description="When you got them.")


@strawberry.input(description="Holding fields to change; fields left out keep their value.")
class UpdateHoldingInput:
    condition: Condition | None = strawberry.field(default=strawberry.UNSET)
    quantity: int | None = strawberry.field(default=strawberry.UNSET)
    unit_cost: Decimal | None = strawberry.field(default=strawberry.UNSET)
    currency: str | None = strawberry.field(default=strawberry.UNSET)
    acquired_on: date | None = strawberry.field(default=strawberry.UNSET)


@strawberry.type(description="The minifigure is on your watchlist.")
class AddToWatchlistSuccess:
    item: WatchlistItem = strawberry.field(description="The watchlist item.")


@strawberry.type(description="The minifigure is off your watchlist.")
class RemoveFromWatchlistSuccess:
    minifigure_id: strawberry.ID = strawberry.field(description="The minifigure removed.")
    condition: Condition = strawberry.field(description="The condition removed.")


@strawberry.type(description="The holding is saved.")
class HoldingSuccess:
    holding: Holding = strawberry.field(description="The holding as it is now.")


@strawberry.type(description="The holding is removed.")
class RemoveHoldingSuccess:
    deleted_id: strawberry.ID = strawberry.field(description="The global id it had.")


AddToWatchlistResult = Annotated[
    AddToWatchlistSuccess | WatchlistError,
    strawberry.union("AddToWatchlistResult", description="addToWatchlist's outcome."),
]
RemoveFromWatchlistResult = Annotated[
    RemoveFromWatchlistSuccess | WatchlistError,
    strawberry.union("RemoveFromWatchlistResult", description="removeFromWatchlist's outcome."),
]
AddHoldingResult = Annotated[
    HoldingSuccess | HoldingError,
    strawberry.union("AddHoldingResult", description="addHolding's outcome."),
]
UpdateHoldingResult = Annotated[
    HoldingSuccess | HoldingError,
    strawberry.union("UpdateHoldingResult", description="updateHolding's outcome."),
]
RemoveHoldingResult = Annotated[
    RemoveHoldingSuccess | HoldingError,
    strawberry.union("RemoveHoldingResult", description="removeHolding's outcome."),
]

_NO_FIGURE = "no minifigure has this id"
_NO_HOLDING = "you have no such holding"


def _holding_error(code: ErrorCode, field: str | None, message: str) -> HoldingError:
    return HoldingError(code=code, field=field, message=message)


async def _checked(
    info: Info[Context, None], values: dict[str, Any]
) -> tuple[str, Decimal] | HoldingError:
    """The normalized currency and unit cost, or the first rule the values break."""
    try:
        currency = currency_code(values["currency"])
    except ClientError as error:
        return _holding_error(ErrorCode.INVALID_VALUE, "currency", str(error))
    try:
        unit_cost = Decimal(values["unit_cost"])
    except InvalidOperation:
        return _holding_error(ErrorCode.INVALID_VALUE, "unitCost", "not a number")
    async with info.context.session_factory() as session:
        coverage = await first_rate_days(session)
    problems = holding_problems(
        quantity=values["quantity"],
        unit_cost=unit_cost,
        currency=currency,
        acquired_on=values["acquired_on"],
        today=datetime.now(UTC).date(),
        first_rate_days=coverage,
    )
    if problems:
        first = problems[0]
        return _holding_error(ErrorCode.INVALID_VALUE, first.field, first.message)
    return currency, unit_cost


@strawberry.type(description="Your watchlist and holdings.")
class CollectionMutation:
    @strawberry.mutation(description="Follow a minifigure (adding it twice changes nothing).")
    async def add_to_watchlist(
        self, info: Info[Context, None], input: WatchlistInput
    ) -> AddToWatchlistResult:
        try:
            owner = writing_account(info)
        except AccessDenied as failure:
            return denied(WatchlistError, failure)
        minifigure_id = local_uuid(input.minifigure_id, "Minifigure")
        condition = input.condition.to_store()
        rows = []
        if minifigure_id is not None:
            async with info.context.session_factory() as session, session.begin():
                if await add_to_watchlist(session, owner, minifigure_id, condition):
                    rows = await watchlist_rows(session, owner, minifigure_id=minifigure_id)
        item = next((r for r in rows if r.item.condition == condition.value), None)
        if item is None:
            return WatchlistError(
                code=ErrorCode.NOT_FOUND, field="minifigureId", message=_NO_FIGURE
            )
        return AddToWatchlistSuccess(item=WatchlistItem.from_row(item))

    @strawberry.mutation(description="Stop following a minifigure in a condition.")
    async def remove_from_watchlist(
        self, info: Info[Context, None], input: WatchlistInput
    ) -> RemoveFromWatchlistResult:
        try:
            owner = writing_account(info)
        except AccessDenied as failure:
            return denied(WatchlistError, failure)
        minifigure_id = local_uuid(input.minifigure_id, "Minifigure")
        removed = False
        if minifigure_id is not None:
            async with info.context.session_factory() as session, session.begin():
                removed = await remove_from_watchlist(
                    session, owner, minifigure_id, input.condition.to_store()
                )
        if not removed:
            return WatchlistError(
                code=ErrorCode.NOT_FOUND,
                field="minifigureId",
                message="this minifigure is not on your watchlist in this condition",
            )
        return RemoveFromWatchlistSuccess(
            minifigure_id=input.minifigure_id, condition=input.condition
        )

    @strawberry.mutation(description="Record units of a minifigure you own.")
    async def add_holding(
        self, info: Info[Context, None], input: AddHoldingInput
    ) -> AddHoldingResult:
        try:
            owner = writing_account(info)
        except AccessDenied as failure:
            return denied(HoldingError, failure)
        minifigure_id = local_uuid(input.minifigure_id, "Minifigure")
        checked = await _checked(
            info,
            {
                "currency": input.currency,
                "unit_cost": input.unit_cost,
                "quantity": input.quantity,
                "acquired_on": input.acquired_on,
            },
        )
        if isinstance(checked, HoldingError):
            return checked
        currency, unit_cost = checked
        figure = (
            await info.context.loaders.minifigure_by_id.load(minifigure_id)
            if minifigure_id
            else None
        )
        if figure is None:
            return _holding_error(ErrorCode.NOT_FOUND, "minifigureId", _NO_FIGURE)
        new = NewHolding(
            minifigure_id=figure.id,
            condition=input.condition.to_store(),
            quantity=input.quantity,
            unit_cost=unit_cost,
            currency=currency,
            acquired_on=input.acquired_on,
        )
        async with info.context.session_factory() as session, session.begin():
            (row,) = await add_holdings(session, owner, [new])
        return HoldingSuccess(holding=Holding.from_row(row))

    @strawberry.mutation(description="Change one of your holdings.")
    async def update_holding(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The holding's global id.")],
        input: UpdateHoldingInput,
    ) -> UpdateHoldingResult:
        try:
            owner = writing_account(info)
        except AccessDenied as failure:
            return denied(HoldingError, failure)
        holding_id = local_uuid(id, "Holding")
        async with info.context.session_factory() as session, session.begin():
            row = await holding_of(session, owner, holding_id) if holding_id else None
            if row is None:
                return _holding_error(ErrorCode.NOT_FOUND, "id", _NO_HOLDING)
            given = _given(input)
            if nulls := [name for name, value in given.items() if value is None]:
                return _holding_error(
                    ErrorCode.INVALID_VALUE, to_camel_case(nulls[0]), "may not be null"
                )
            merged: dict[str, Any] = {
                "currency": row.currency,
                "unit_cost": row.unit_cost,
                "quantity": row.quantity,
                "acquired_on": row.acquired_on,
            } | given
            checked = await _checked(info, merged)
            if isinstance(checked, HoldingError):
                return checked
            currency, unit_cost = checked
            condition = input.condition or Condition(row.condition)
            stored = {
                "condition": condition.to_store(),
                "quantity": merged["quantity"],
                "unit_cost": unit_cost,
                "currency": currency,
                "acquired_on": merged["acquired_on"],
            }
            await update_holding(session, row, stored)
        return HoldingSuccess(holding=Holding.from_row(row))

    @strawberry.mutation(description="Remove one of your holdings.")
    async def remove_holding(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The holding's global id.")],
    ) -> RemoveHoldingResult:
        try:
            owner = writing_account(info)
        except AccessDenied as failure:
            return denied(HoldingError, failure)
        holding_id = local_uuid(id, "Holding")
        removed = False
        if holding_id is not None:
            async with info.context.session_factory() as session, session.begin():
                removed = await remove_holding(session, owner, holding_id)
        if not removed:
            return _holding_error(ErrorCode.NOT_FOUND, "id", _NO_HOLDING)
        return RemoveHoldingSuccess(deleted_id=id)


def _given(input: UpdateHoldingInput) -> dict[str, Any]:
    values = {
        "condition": input.condition,
        "quantity": input.quantity,
        "unit_cost": input.unit_cost,
        "currency": input.currency,
        "acquired_on": input.acquired_on,
    }
    return {name: value for name, value in values.items() if value is not strawberry.UNSET}
