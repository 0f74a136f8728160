"""The root Query type."""

from __future__ import annotations

from importlib.metadata import version as package_version
from typing import Annotated

import strawberry
from strawberry.types import Info

from server.graphql.context import Context
from server.graphql.errors import ClientError
from server.graphql.node import from_global_id, uuid_of
from server.graphql.types.health import Health
from server.graphql.types.minifigure import Minifigure, Node
from server.health import check_health
from server.store.catalog import normalize_fig_num
from server.store.errors import InvalidRecordError


@strawberry.type(description="Read access to the catalog and its prices.")
class Query:
    @strawberry.field(description="The version of the Minifigure Stonks server.")
    def version(self) -> str:
        return package_version("minifigure-stonks")

    @strawberry.field(description="Whether the API reaches its database and Redis.")
    async def health(self, info: Info[Context, None]) -> Health:
        report = await check_health(info.context.session_factory, info.context.redis)
        return Health(database=report.database, redis=report.redis, timescaledb=report.timescaledb)

    @strawberry.field(description="Any object by its global id; null when nothing has that id.")
    async def node(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="A global id.")],
    ) -> Node | None:
        type_name, _ = from_global_id(id)
        if type_name == "Minifigure":
            return await _minifigure_by_global_id(info, id)
        return None

    @strawberry.field(
        description="One minifigure by global id or by fig number (exactly one of the two); "
        "null when there is none."
    )
    async def minifigure(
        self,
        info: Info[Context, None],
        id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The minifigure's global id.")
        ] = None,
        fig_num: Annotated[
            str | None,
            strawberry.argument(description="The fig number, e.g. `sw0001a` (case-insensitive)."),
        ] = None,
    ) -> Minifigure | None:
        if (id is None) == (fig_num is None):
            raise ClientError("INVALID_ARGUMENTS", "pass exactly one of `id` and `figNum`")
        if id is not None:
            return await _minifigure_by_global_id(info, id)
        assert fig_num is not None
        try:
            normalized = normalize_fig_num(fig_num)
        except InvalidRecordError:
            return None
        row = await info.context.loaders.minifigure_by_fig_num.load(normalized)
        return Minifigure.from_row(row) if row else None


async def _minifigure_by_global_id(info: Info[Context, None], id: str) -> Minifigure | None:
    minifigure_id = uuid_of(id, "Minifigure")
    if minifigure_id is None:
        return None
    row = await info.context.loaders.minifigure_by_id.load(minifigure_id)
    return Minifigure.from_row(row) if row else None
