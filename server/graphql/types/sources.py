"""Where prices come from (data sources) and what each collection run did (sync runs)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from server.graphql.node import to_global_id
from server.graphql.types.connections import Connection
from server.graphql.types.node import Node
from server.models import DataSource as DataSourceRow
from server.models import SyncRun as SyncRunRow
from server.redaction import public_summary


@strawberry.enum(description="The state of a sync run.")
class SyncStatus(Enum):
    QUEUED = strawberry.enum_value("queued", description="Waiting for a worker.")
    RUNNING = strawberry.enum_value("running", description="A worker is on it.")
    SUCCEEDED = strawberry.enum_value("succeeded", description="Finished without error.")
    FAILED = strawberry.enum_value("failed", description="Stopped by an error (see `error`).")


@strawberry.type(description="A marketplace or catalog the workers collect from.")
class DataSource(Node):
    code: str = strawberry.field(description="Stable code, e.g. `bricklink`.")
    name: str = strawberry.field(description="Display name.")
    kind: str = strawberry.field(description="`marketplace`, `catalog` or `demo`.")
    active: bool = strawberry.field(description="Whether workers collect from it.")
    requests_per_minute: int | None = strawberry.field(description="Rate limit, if any.")
    daily_quota: int | None = strawberry.field(description="Requests allowed per day, if capped.")
    last_run_at: datetime | None = strawberry.field(description="When a run last started.")
    last_success_at: datetime | None = strawberry.field(description="When a run last succeeded.")
    last_error: str | None = strawberry.field(
        description="The last run's error, if it failed: its class and a short message."
    )

    @classmethod
    def from_row(cls, row: DataSourceRow) -> DataSource:
        return cls(
            id=strawberry.ID(to_global_id("DataSource", row.code)),
            code=row.code,
            name=row.name,
            kind=row.kind,
            active=row.active,
            requests_per_minute=row.requests_per_minute,
            daily_quota=row.daily_quota,
            last_run_at=row.last_run_at,
            last_success_at=row.last_success_at,
            last_error=public_summary(row.last_error),
        )


@strawberry.type(description="One run of a worker against a data source.")
class SyncRun(Node):
    source: str = strawberry.field(description="The data source code.")
    kind: str = strawberry.field(description="What the run did, e.g. `prices` or `catalog`.")
    status: SyncStatus = strawberry.field(description="Where the run stands.")
    started_at: datetime = strawberry.field(description="When the run was created.")
    finished_at: datetime | None = strawberry.field(description="When it ended, if it has.")
    seen: int = strawberry.field(description="Records fetched.")
    saved: int = strawberry.field(description="Records stored (new ones).")
    rejected: int = strawberry.field(description="Records refused by validation.")
    error: str | None = strawberry.field(
        description="Why it failed, if it did: the error's class and a short message."
    )

    @classmethod
    def from_row(cls, row: SyncRunRow) -> SyncRun:
        return cls(
            id=strawberry.ID(to_global_id("SyncRun", row.id)),
            source=row.source,
            kind=row.kind,
            status=SyncStatus(row.status),
            started_at=row.started_at,
            finished_at=row.finished_at,
            seen=row.seen,
            saved=row.saved,
            rejected=row.rejected,
            error=public_summary(row.error),
        )


@strawberry.type(description="A page of sync runs, newest first.")
class SyncRunConnection(Connection[SyncRun]):
    pass
