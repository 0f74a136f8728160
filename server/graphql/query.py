"""The root Query type."""

from __future__ import annotations

from importlib.metadata import version as package_version

import strawberry
from strawberry.types import Info

from server.graphql.context import Context
from server.graphql.types.health import Health
from server.health import check_health


@strawberry.type(description="Read access to the catalog and its prices.")
class Query:
    @strawberry.field(description="The version of the Minifigure Stonks server.")
    def version(self) -> str:
        return package_version("minifigure-stonks")

    @strawberry.field(description="Whether the API reaches its database and Redis.")
    async def health(self, info: Info[Context, None]) -> Health:
        report = await check_health(info.context.session_factory, info.context.redis)
        return Health(database=report.database, redis=report.redis, timescaledb=report.timescaledb)
