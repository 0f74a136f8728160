"""The root Query type."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from importlib.metadata import version as package_version
from typing import Annotated

import strawberry
from strawberry.types import Info

from server.graphql.collectors.nodes import COLLECTOR_NODE_TYPES, collector_node
from server.graphql.context import Context
from server.graphql.errors import ClientError
from server.graphql.node import from_global_id, row_id_of, uuid_of
from server.graphql.pagination import cursor_int, decode_cursor, encode_cursor, page_size
from server.graphql.ranges import aware, history_range
from server.graphql.types.catalog import (
    MinifigureConnection,
    MinifigureFilter,
    MinifigureOrder,
    Theme,
    minifigures_connection,
)
from server.graphql.types.connections import forward_page
from server.graphql.types.enums import Condition, PriceInterval, StatsWindow
from server.graphql.types.health import Health
from server.graphql.types.listing import Listing
from server.graphql.types.market import MarketIndexPoint, Mover, MoverDirection
from server.graphql.types.minifigure import Minifigure
from server.graphql.types.node import Node
from server.graphql.types.sources import DataSource, SyncRun, SyncRunConnection, SyncStatus
from server.health import check_health
from server.models import SyncStatus as StoreSyncStatus
from server.store.catalog import normalize_fig_num
from server.store.catalog_queries import theme_counts
from server.store.errors import InvalidRecordError
from server.store.market import market_index, movers
from server.store.sources_queries import data_source, data_sources, sync_run, sync_runs_page

# Fewer sales than this in the window and one odd sale could top the movers list.
MIN_MOVER_SAMPLE = 5
MAX_MOVERS = 100


@strawberry.type(description="Read access to the catalog and its prices.")
class Query:
    @strawberry.field(description="The version of the Minifigure Stonks server.")
    def version(self) -> str:
        return package_version("minifigure-stonks")

    @strawberry.field(description="Whether the API reaches its database and Redis.")
    async def health(self, info: Info[Context, None]) -> Health:
        report = await check_health(
            info.context.session_factory,
            info.context.redis,
            timeout_s=info.context.settings.health_timeout_s,
        )
        return Health(database=report.database, redis=report.redis, timescaledb=report.timescaledb)

    @strawberry.field(description="Any object by its global id; null when nothing has that id.")
    async def node(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="A global id.")],
    ) -> Node | None:
        type_name, local_id = from_global_id(id)
        match type_name:
            case "Minifigure":
                return await _minifigure_by_global_id(info, id)
            case "Listing":
                row = await info.context.loaders.listing_by_id.load(row_id_of(local_id, id))
                return Listing.from_row(row) if row else None
            case "DataSource":
                async with info.context.session_factory() as session:
                    source = await data_source(session, local_id)
                return DataSource.from_row(source) if source else None
            case "SyncRun":
                run_id = row_id_of(local_id, id)
                async with info.context.session_factory() as session:
                    run = await sync_run(session, run_id)
                return SyncRun.from_row(run) if run else None
            case _ if type_name in COLLECTOR_NODE_TYPES:
                return await collector_node(info, type_name, local_id)
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

    @strawberry.field(
        description="The catalog, filtered and ordered, a page at a time (keyset cursors: "
        "pages stay consistent while prices change). Default order: by relevance when "
        "searching, else by name."
    )
    async def minifigures(
        self,
        info: Info[Context, None],
        first: Annotated[
            int | None,
            strawberry.argument(description="Page size forward (default 20, at most 100)."),
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="Items after this cursor.")
        ] = None,
        last: Annotated[
            int | None, strawberry.argument(description="Page size backward (at most 100).")
        ] = None,
        before: Annotated[
            str | None, strawberry.argument(description="Items before this cursor.")
        ] = None,
        filter: Annotated[
            MinifigureFilter | None, strawberry.argument(description="Which minifigures.")
        ] = None,
        order_by: Annotated[
            MinifigureOrder | None, strawberry.argument(description="In which order.")
        ] = None,
    ) -> MinifigureConnection:
        return await minifigures_connection(
            info,
            first=first,
            after=after,
            last=last,
            before=before,
            catalog_filter=filter,
            order=order_by,
        )

    @strawberry.field(
        description="The minifigures whose daily median rose (or fell) the most over the "
        "window; thinly traded ones are left out."
    )
    async def movers(
        self,
        info: Info[Context, None],
        window: Annotated[
            StatsWindow, strawberry.argument(description="The trailing window.")
        ] = StatsWindow.D7,
        direction: Annotated[
            MoverDirection, strawberry.argument(description="Gainers or losers.")
        ] = MoverDirection.GAINERS,
        condition: Annotated[
            Condition, strawberry.argument(description="Which condition's prices.")
        ] = Condition.USED,
        first: Annotated[
            int, strawberry.argument(description=f"How many (at most {MAX_MOVERS}).")
        ] = 10,
        min_sample_size: Annotated[
            int,
            strawberry.argument(description="Sales the window must hold for a minifigure."),
        ] = MIN_MOVER_SAMPLE,
    ) -> list[Mover]:
        limit = page_size(first, MAX_MOVERS)
        if min_sample_size < 1:
            raise ClientError("INVALID_ARGUMENTS", "minSampleSize must be at least 1")
        async with info.context.session_factory() as session:
            rows = await movers(
                session,
                window=window.to_store(),
                condition=condition.to_store(),
                gainers=direction is MoverDirection.GAINERS,
                min_sample=min_sample_size,
                limit=limit,
            )
        return [Mover(row=row) for row in rows]

    @strawberry.field(
        description="An equal-weighted chained index of daily medians (first bucket = 100), "
        "over the whole catalog or one theme."
    )
    async def market_index(
        self,
        info: Info[Context, None],
        theme: Annotated[
            str | None, strawberry.argument(description="Only this theme; null for all.")
        ] = None,
        interval: Annotated[
            PriceInterval, strawberry.argument(description="The bucket width.")
        ] = PriceInterval.WEEK,
        from_: Annotated[
            date | None,
            strawberry.argument(name="from", description="First day (default: a year ago)."),
        ] = None,
        to: Annotated[
            date | None, strawberry.argument(description="Last day (default: today, UTC).")
        ] = None,
        condition: Annotated[
            Condition, strawberry.argument(description="Which condition's prices.")
        ] = Condition.USED,
    ) -> list[MarketIndexPoint]:
        start, end = history_range(
            aware(datetime.combine(from_, time())) if from_ else None,
            aware(datetime.combine(to, time())) + timedelta(days=1) if to else None,
            interval.to_store(),
        )
        async with info.context.session_factory() as session:
            points = await market_index(
                session,
                theme=theme,
                interval=interval.to_store(),
                condition=condition.to_store(),
                first_day=start.date(),
                end_day=end.date(),
            )
        return [MarketIndexPoint(row=point) for point in points]

    @strawberry.field(description="Every theme with its number of minifigures, largest first.")
    async def themes(self, info: Info[Context, None]) -> list[Theme]:
        async with info.context.session_factory() as session:
            counts = await theme_counts(session)
        return [Theme(name=c.theme, count=c.count) for c in counts]

    @strawberry.field(description="The marketplaces and catalogs prices come from.")
    async def data_sources(self, info: Info[Context, None]) -> list[DataSource]:
        async with info.context.session_factory() as session:
            return [DataSource.from_row(row) for row in await data_sources(session)]

    @strawberry.field(description="Worker runs, newest first.")
    async def sync_runs(
        self,
        info: Info[Context, None],
        first: Annotated[
            int | None, strawberry.argument(description="Page size (default 20, at most 100).")
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="Runs after this cursor.")
        ] = None,
        source: Annotated[
            str | None, strawberry.argument(description="Only runs of this data source.")
        ] = None,
        status: Annotated[
            SyncStatus | None, strawberry.argument(description="Only runs in this state.")
        ] = None,
    ) -> SyncRunConnection:
        size = page_size(first)
        before_id = None
        if after is not None:
            (raw,) = decode_cursor(after, "syncRun", 1)
            before_id = cursor_int(raw)
        async with info.context.session_factory() as session:
            rows = await sync_runs_page(
                session,
                source=source,
                status=StoreSyncStatus[status.name].value if status else None,
                before_id=before_id,
                limit=size + 1,
            )
        edges, page_info = forward_page(
            rows,
            size,
            node=SyncRun.from_row,
            cursor=lambda row: encode_cursor("syncRun", row.id),
            had_cursor=after is not None,
        )
        return SyncRunConnection(edges=edges, page_info=page_info)


async def _minifigure_by_global_id(info: Info[Context, None], id: str) -> Minifigure | None:
    minifigure_id = uuid_of(id, "Minifigure")
    if minifigure_id is None:
        return None
    row = await info.context.loaders.minifigure_by_id.load(minifigure_id)
    return Minifigure.from_row(row) if row else None
