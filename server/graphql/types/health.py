"""Liveness of the servers the API depends on."""

from __future__ import annotations

import strawberry


@strawberry.type(description="Whether the API can reach what it depends on.")
class Health:
    database: bool = strawberry.field(description="PostgreSQL answers.")
    redis: bool = strawberry.field(description="Redis answers.")
    timescaledb: bool = strawberry.field(
        description="The TimescaleDB extension is installed in the database."
    )
