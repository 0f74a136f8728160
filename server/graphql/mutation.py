"""Catalog administration mutations (admin API key required).

Each mutation returns a union `<Name>Success | <Name>Error`; every error type implements
`MutationError` (a code from `ErrorCode`, the offending input field, a message),
so expected failures are data the client can switch on, not exceptions.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from server.graphql.context import Context
from server.graphql.errors import ClientError
from server.graphql.mutation_errors import ErrorCode, MutationError
from server.graphql.node import to_global_id, uuid_of
from server.graphql.types.minifigure import Minifigure
from server.models import Minifigure as MinifigureRow
from server.store.catalog import CatalogEntry
from server.store.catalog_admin import (
    DuplicateValueError,
    create_minifigure,
    delete_minifigure,
    set_external_ids,
    update_minifigure,
)
from server.store.errors import InvalidRecordError

Outcome = TypeVar("Outcome")
Failure = TypeVar("Failure", bound=MutationError)


@strawberry.type(description="createMinifigure did nothing; see `code`.")
class CreateMinifigureError(MutationError):
    pass


@strawberry.type(description="updateMinifigure did nothing; see `code`.")
class UpdateMinifigureError(MutationError):
    pass


@strawberry.type(description="deleteMinifigure did nothing; see `code`.")
class DeleteMinifigureError(MutationError):
    pass


@strawberry.type(description="setExternalIds did nothing; see `code`.")
class SetExternalIdsError(MutationError):
    pass


@strawberry.type(description="The minifigure was created.")
class CreateMinifigureSuccess:
    minifigure: Minifigure = strawberry.field(description="The new minifigure.")


@strawberry.type(description="The minifigure was updated.")
class UpdateMinifigureSuccess:
    minifigure: Minifigure = strawberry.field(description="The minifigure as it is now.")


@strawberry.type(description="The minifigure and its prices were deleted.")
class DeleteMinifigureSuccess:
    deleted_id: strawberry.ID = strawberry.field(description="The global id it had.")


@strawberry.type(description="The external ids were set.")
class SetExternalIdsSuccess:
    minifigure: Minifigure = strawberry.field(description="The minifigure as it is now.")


CreateMinifigureResult = Annotated[
    CreateMinifigureSuccess | CreateMinifigureError,
    strawberry.union("CreateMinifigureResult", description="The outcome of createMinifigure."),
]
UpdateMinifigureResult = Annotated[
    UpdateMinifigureSuccess | UpdateMinifigureError,
    strawberry.union("UpdateMinifigureResult", description="The outcome of updateMinifigure."),
]
DeleteMinifigureResult = Annotated[
    DeleteMinifigureSuccess | DeleteMinifigureError,
    strawberry.union("DeleteMinifigureResult", description="The outcome of deleteMinifigure."),
]
SetExternalIdsResult = Annotated[
    SetExternalIdsSuccess | SetExternalIdsError,
    strawberry.union("SetExternalIdsResult", description="The outcome of setExternalIds."),
]


@strawberry.input(description="A new catalog entry.")
class CreateMinifigureInput:
    fig_num: str = strawberry.field(description="BrickLink-style fig number, e.g. `sw0001a`.")
    name: str = strawberry.field(description="The catalog name.")
    theme: str | None = strawberry.field(default=None, description="The theme.")
    year_released: int | None = strawberry.field(default=None, description="Year of release.")
    num_parts: int | None = strawberry.field(default=None, description="Number of parts.")
    image_url: str | None = strawberry.field(default=None, description="A picture URL.")
    rebrickable_id: str | None = strawberry.field(default=None, description="Rebrickable id.")
    brickowl_id: str | None = strawberry.field(default=None, description="BrickOwl BOID.")


@strawberry.input(description="Catalog fields to change; fields left out keep their value.")
class UpdateMinifigureInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="New name.")
    theme: str | None = strawberry.field(
        default=strawberry.UNSET, description="New theme (null clears it)."
    )
    year_released: int | None = strawberry.field(
        default=strawberry.UNSET, description="New year of release (null clears it)."
    )
    num_parts: int | None = strawberry.field(
        default=strawberry.UNSET, description="New number of parts (null clears it)."
    )
    image_url: str | None = strawberry.field(
        default=strawberry.UNSET, description="New picture URL (null clears it)."
    )


IdArgument = Annotated[
    strawberry.ID, strawberry.argument(description="The minifigure's global id.")
]


def _camel(field: str) -> str:
    head, *rest = field.split("_")
    return head + "".join(part.title() for part in rest)


def _given(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not strawberry.UNSET}


def _unauthorized(info: Info[Context, None], error: type[Failure]) -> Failure | None:
    """Checked before anything else, so a caller without the key learns nothing else."""
    if info.context.is_admin:
        return None
    return error(code=ErrorCode.UNAUTHORIZED, field=None, message="admin API key required")


async def _admin_write(
    info: Info[Context, None],
    error: type[Failure],
    action: Callable[[AsyncSession], Awaitable[Outcome]],
) -> Outcome | Failure:
    """Runs `action` in one transaction; expected failures become `error(...)` values."""
    if refused := _unauthorized(info, error):
        return refused
    try:
        async with info.context.session_factory() as session, session.begin():
            return await action(session)
    except InvalidRecordError as failure:
        return error(
            code=ErrorCode.INVALID_VALUE, field=_camel(failure.field), message=str(failure)
        )
    except DuplicateValueError as failure:
        return error(code=ErrorCode.DUPLICATE, field=_camel(failure.field), message=str(failure))


def _minifigure_id(id: str) -> uuid.UUID | None:
    try:
        return uuid_of(id, "Minifigure")
    except ClientError:
        return None


def _not_found(error: type[Failure]) -> Failure:
    return error(code=ErrorCode.NOT_FOUND, field="id", message="no minifigure has this id")


def _found(
    row: MinifigureRow | None, success: Callable[..., Outcome], error: type[Failure]
) -> Outcome | Failure:
    return success(minifigure=Minifigure.from_row(row)) if row else _not_found(error)


@strawberry.type(description="Changes to the catalog (admin API key required).")
class Mutation:
    @strawberry.mutation(description="Add a minifigure to the catalog.")
    async def create_minifigure(
        self,
        info: Info[Context, None],
        input: Annotated[CreateMinifigureInput, strawberry.argument(description="The new entry.")],
    ) -> CreateMinifigureResult:
        async def create(session: AsyncSession) -> CreateMinifigureSuccess:
            entry = CatalogEntry(
                fig_num=input.fig_num,
                name=input.name,
                theme=input.theme,
                year_released=input.year_released,
                num_parts=input.num_parts,
                image_url=input.image_url,
                rebrickable_id=input.rebrickable_id,
                brickowl_id=input.brickowl_id,
            )
            row = await create_minifigure(session, entry)
            return CreateMinifigureSuccess(minifigure=Minifigure.from_row(row))

        return await _admin_write(info, CreateMinifigureError, create)

    @strawberry.mutation(description="Change catalog fields of a minifigure.")
    async def update_minifigure(
        self,
        info: Info[Context, None],
        id: IdArgument,
        input: Annotated[
            UpdateMinifigureInput, strawberry.argument(description="The fields to change.")
        ],
    ) -> UpdateMinifigureResult:
        if refused := _unauthorized(info, UpdateMinifigureError):
            return refused
        minifigure_id = _minifigure_id(id)
        if minifigure_id is None:
            return _not_found(UpdateMinifigureError)
        changes = _given(
            {
                "name": input.name,
                "theme": input.theme,
                "year_released": input.year_released,
                "num_parts": input.num_parts,
                "image_url": input.image_url,
            }
        )

        async def update(
            session: AsyncSession,
        ) -> UpdateMinifigureSuccess | UpdateMinifigureError:
            row = await update_minifigure(session, minifigure_id, changes)
            return _found(row, UpdateMinifigureSuccess, UpdateMinifigureError)

        return await _admin_write(info, UpdateMinifigureError, update)

    @strawberry.mutation(description="Delete a minifigure together with all its prices.")
    async def delete_minifigure(
        self, info: Info[Context, None], id: IdArgument
    ) -> DeleteMinifigureResult:
        if refused := _unauthorized(info, DeleteMinifigureError):
            return refused
        minifigure_id = _minifigure_id(id)
        if minifigure_id is None:
            return _not_found(DeleteMinifigureError)

        async def remove(
            session: AsyncSession,
        ) -> DeleteMinifigureSuccess | DeleteMinifigureError:
            if not await delete_minifigure(session, minifigure_id):
                return _not_found(DeleteMinifigureError)
            global_id = to_global_id("Minifigure", minifigure_id)
            return DeleteMinifigureSuccess(deleted_id=strawberry.ID(global_id))

        return await _admin_write(info, DeleteMinifigureError, remove)

    @strawberry.mutation(
        description="Set or clear the minifigure's ids at Rebrickable and BrickOwl; "
        "arguments left out keep their value, null clears."
    )
    async def set_external_ids(
        self,
        info: Info[Context, None],
        id: IdArgument,
        rebrickable_id: Annotated[
            str | None, strawberry.argument(description="Rebrickable id, e.g. `fig-000001`.")
        ] = strawberry.UNSET,
        brickowl_id: Annotated[
            str | None, strawberry.argument(description="BrickOwl BOID.")
        ] = strawberry.UNSET,
    ) -> SetExternalIdsResult:
        if refused := _unauthorized(info, SetExternalIdsError):
            return refused
        minifigure_id = _minifigure_id(id)
        if minifigure_id is None:
            return _not_found(SetExternalIdsError)
        changes = _given({"rebrickable_id": rebrickable_id, "brickowl_id": brickowl_id})

        async def assign(
            session: AsyncSession,
        ) -> SetExternalIdsSuccess | SetExternalIdsError:
            row = await set_external_ids(session, minifigure_id, changes)
            return _found(row, SetExternalIdsSuccess, SetExternalIdsError)

        return await _admin_write(info, SetExternalIdsError, assign)
