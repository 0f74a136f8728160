"""The Minifigure node: catalog data and its price views (all batched through loaders)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, cast

import orjson
import strawberry
from strawberry.types import Info

from server.graphql.candle_width import candle_width
from server.graphql.context import Context
from server.graphql.json_pages import LeafReaders, Template
from server.graphql.loaders import (
    HistoryParams,
    JsonPageParams,
    ListingPageParams,
    SnapshotPageParams,
)
from server.graphql.node import to_global_id
from server.graphql.pagination import (
    cursor_date,
    cursor_datetime,
    cursor_int,
    decode_cursor,
    encode_cursor,
    page_size,
)
from server.graphql.ranges import aware, checked_range, history_range
from server.graphql.series import as_series
from server.graphql.types.connections import Connection, forward_series_page, json_page
from server.graphql.types.enums import Condition, ListingKind, PriceInterval, StatsWindow
from server.graphql.types.listing import LISTING_LEAVES, LISTING_READERS, Listing
from server.graphql.types.node import Node
from server.graphql.types.prices import (
    CANDLE_LEAVES,
    CANDLE_READERS,
    SNAPSHOT_LEAVES,
    SNAPSHOT_READERS,
    Candle,
    LatestPrice,
    PriceStats,
    Snapshot,
)
from server.models import Minifigure as MinifigureRow
from server.store.prices_queries import LatestPriceRow, ListingFilter, SnapshotFilter, StatsRow

_NO_LATEST = LatestPriceRow(None, None, None, None, None, None, None, None, None)
_NO_STATS = StatsRow(None, None, None, None, None, 0, 0, None)


def _snapshot_cursor(key: tuple[Any, ...]) -> str:
    day, condition = key
    return encode_cursor("snapshot", day.isoformat(), condition)


def _listing_cursor(key: tuple[Any, ...]) -> str:
    observed_at, listing_id = key
    return encode_cursor("listing", observed_at.isoformat(), listing_id)


def _json_template(
    info: Info[Context, None], leaves: LeafReaders, *, items: bool = False
) -> Template | None:
    """The JSON of one edge of a connection (or of one item of a list), when the request
    is served over HTTP and the selection allows it (server/graphql/json_pages.py);
    None: complete the value as usual."""
    lookahead = info.context.lookahead
    if lookahead is None:
        return None
    if items:
        return lookahead.items_template(info._raw_info, leaves)
    return lookahead.edges_template(info._raw_info, leaves)


ConditionArgument = Annotated[
    Condition, strawberry.argument(description="Which condition's prices.")
]
FirstArgument = Annotated[
    int | None, strawberry.argument(description="Page size (default 20, at most 100).")
]
AfterArgument = Annotated[
    str | None, strawberry.argument(description="Return items after this cursor.")
]


@strawberry.type(description="A page of daily snapshots, newest first.")
class SnapshotConnection(Connection[Snapshot]):
    pass


@strawberry.type(description="A page of observed prices, newest first.")
class ListingConnection(Connection[Listing]):
    pass


@strawberry.type(description="A LEGO minifigure in the catalog.")
class Minifigure(Node):
    row: strawberry.Private[MinifigureRow]
    fig_num: str = strawberry.field(description="BrickLink-style fig number, e.g. `sw0001a`.")
    name: str = strawberry.field(description="The catalog name.")
    theme: str | None = strawberry.field(description="The theme, e.g. `Star Wars`.")
    year_released: int | None = strawberry.field(description="Year of first release.")
    num_parts: int | None = strawberry.field(description="Number of parts.")
    image_url: str | None = strawberry.field(description="A picture of the minifigure.")
    rebrickable_id: str | None = strawberry.field(
        description="Rebrickable's id, e.g. `fig-000001`."
    )
    brickowl_id: str | None = strawberry.field(description="BrickOwl's BOID.")

    @classmethod
    def from_row(cls, row: MinifigureRow) -> Minifigure:
        return cls(
            row=row,
            id=strawberry.ID(to_global_id("Minifigure", row.id)),
            fig_num=row.fig_num,
            name=row.name,
            theme=row.theme,
            year_released=row.year_released,
            num_parts=row.num_parts,
            image_url=row.image_url,
            rebrickable_id=row.rebrickable_id,
            brickowl_id=row.brickowl_id,
        )

    @strawberry.field(
        description="The latest sale, the lowest current ask, the latest daily median, "
        "and when prices were last seen."
    )
    async def latest_price(
        self, info: Info[Context, None], condition: ConditionArgument = Condition.USED
    ) -> LatestPrice:
        key = (self.row.id, condition.to_store())
        row = await info.context.loaders.latest_price.load(key)
        return LatestPrice(row=row or _NO_LATEST, condition=condition)

    @strawberry.field(description="Change, range, volatility and volume over a trailing window.")
    async def stats(
        self,
        info: Info[Context, None],
        window: Annotated[
            StatsWindow, strawberry.argument(description="The trailing window.")
        ] = StatsWindow.D30,
        condition: ConditionArgument = Condition.USED,
    ) -> PriceStats:
        key = (self.row.id, (condition.to_store(), window.to_store()))
        row = await info.context.loaders.stats.load(key)
        return PriceStats(row=row or _NO_STATS, window=window, condition=condition)

    @strawberry.field(
        description="Price candles (open, high, low, close, median, volume) per bucket, "
        "oldest first; buckets without observations are left out."
    )
    async def price_history(
        self,
        info: Info[Context, None],
        from_: Annotated[
            datetime | None,
            strawberry.argument(
                name="from", description="Start, inclusive (default: a year before `to`)."
            ),
        ] = None,
        to: Annotated[
            datetime | None,
            strawberry.argument(description="End, exclusive (default: the end of today, UTC)."),
        ] = None,
        interval: Annotated[
            PriceInterval, strawberry.argument(description="The bucket width.")
        ] = PriceInterval.DAY,
        condition: ConditionArgument = Condition.USED,
        kind: Annotated[
            ListingKind, strawberry.argument(description="Sales or asking prices.")
        ] = ListingKind.SOLD,
        width: Annotated[
            str | None,
            strawberry.argument(
                description="A free bucket width as an ISO-8601 duration (PT4H, P3D, P2W), "
                "used instead of `interval`; whole minutes up to P366D."
            ),
        ] = None,
    ) -> list[Candle]:
        bucket_width = candle_width(interval, width)
        start, end = history_range(from_, to, bucket_width)
        params = HistoryParams(
            start=start,
            end=end,
            width=bucket_width,
            condition=condition.to_store(),
            kind=kind.to_store(),
        )
        template = _json_template(info, CANDLE_LEAVES, items=True)
        if template is not None:
            candles = await info.context.loaders.history_json.load(
                (self.row.id, (params, template))
            )
            # Completion returns the fragment as it is (StonksExecutionContext).
            return cast("list[Candle]", orjson.Fragment(candles or "[]"))
        rows = await info.context.loaders.history.load((self.row.id, params))
        return as_series(rows, CANDLE_READERS, lambda: [Candle(row=row) for row in rows])

    @strawberry.field(description="Daily snapshots (one per day and condition), newest first.")
    async def snapshots(
        self,
        info: Info[Context, None],
        first: FirstArgument = None,
        after: AfterArgument = None,
        from_: Annotated[
            date | None, strawberry.argument(name="from", description="First day, inclusive.")
        ] = None,
        to: Annotated[date | None, strawberry.argument(description="Last day, inclusive.")] = None,
        condition: Annotated[
            Condition | None, strawberry.argument(description="Only this condition.")
        ] = None,
    ) -> SnapshotConnection:
        checked_range(from_, to)
        size = page_size(first)
        position = None
        if after is not None:
            day, snapshot_condition = decode_cursor(after, "snapshot", 2)
            position = (cursor_date(day), str(snapshot_condition))
        snapshot_filter = SnapshotFilter(
            first_day=from_, last_day=to, condition=condition.to_store() if condition else None
        )
        template = _json_template(info, SNAPSHOT_LEAVES)
        if template is not None:
            json_params = JsonPageParams(position, size, template)
            page = await info.context.loaders.snapshot_json.load(
                (self.row.id, (snapshot_filter, json_params))
            )
            edges, page_info = json_page(
                page, size, cursor=_snapshot_cursor, had_cursor=after is not None
            )
            return SnapshotConnection(edges=edges, page_info=page_info)
        params = SnapshotPageParams(snapshot_filter=snapshot_filter, after=position, limit=size + 1)
        rows = await info.context.loaders.snapshots.load((self.row.id, params))
        edges, page_info = forward_series_page(
            rows,
            size,
            node=lambda row: Snapshot(row=row),
            cursor=lambda row: _snapshot_cursor((row.day, row.condition)),
            had_cursor=after is not None,
            node_readers=SNAPSHOT_READERS,
        )
        return SnapshotConnection(edges=edges, page_info=page_info)

    @strawberry.field(description="Observed prices (sales and asks), newest first.")
    async def listings(
        self,
        info: Info[Context, None],
        first: FirstArgument = None,
        after: AfterArgument = None,
        from_: Annotated[
            datetime | None,
            strawberry.argument(name="from", description="Observed at or after this time."),
        ] = None,
        to: Annotated[
            datetime | None, strawberry.argument(description="Observed before this time.")
        ] = None,
        kind: Annotated[
            ListingKind | None, strawberry.argument(description="Only sales or only asks.")
        ] = None,
        condition: Annotated[
            Condition | None, strawberry.argument(description="Only this condition.")
        ] = None,
        source: Annotated[
            str | None, strawberry.argument(description="Only this data source (its code).")
        ] = None,
        include_excluded: Annotated[
            bool,
            strawberry.argument(
                description="Also list observations left out of statistics (see `excludedReason`)."
            ),
        ] = False,
    ) -> ListingConnection:
        start = aware(from_) if from_ else None
        end = aware(to) if to else None
        checked_range(start, end)
        size = page_size(first)
        position = None
        if after is not None:
            observed_at, listing_id = decode_cursor(after, "listing", 2)
            position = (cursor_datetime(observed_at), cursor_int(listing_id))
        listing_filter = ListingFilter(
            start=start,
            end=end,
            kind=kind.to_store() if kind else None,
            condition=condition.to_store() if condition else None,
            source=source,
            include_excluded=include_excluded,
        )
        template = _json_template(info, LISTING_LEAVES)
        if template is not None:
            json_params = JsonPageParams(position, size, template)
            page = await info.context.loaders.listing_json.load(
                (self.row.id, (listing_filter, json_params))
            )
            edges, page_info = json_page(
                page, size, cursor=_listing_cursor, had_cursor=after is not None
            )
            return ListingConnection(edges=edges, page_info=page_info)
        params = ListingPageParams(listing_filter=listing_filter, after=position, limit=size + 1)
        rows = await info.context.loaders.listings.load((self.row.id, params))
        edges, page_info = forward_series_page(
            rows,
            size,
            node=Listing.from_row,
            cursor=lambda row: _listing_cursor((row.observed_at, row.id)),
            had_cursor=after is not None,
            node_readers=LISTING_READERS,
        )
        return ListingConnection(edges=edges, page_info=page_info)
