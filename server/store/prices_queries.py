"""Batched price reads for many minifigures at once: one statement per call, whatever the count.

Every function takes the ids of a whole page of minifigures (what a DataLoader gathered)
and returns rows keyed by minifigure id. Long series come back as plain tuples, never
ORM objects, so the API pays per-row overhead once.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Numeric,
    Select,
    SQLColumnExpression,
    Text,
    bindparam,
    cast,
    func,
    literal,
    literal_column,
    select,
    true,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID, aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.selectable import ScalarSelect

from server.models import Condition, ListingKind, PriceListing, PriceSnapshot
from server.store.price_measures import PriceWindow, change_pct
from server.store.statements import fixed_limit

Page = TypeVar("Page")

# An ask older than this is no longer "current": sellers relist or withdraw.
CURRENT_ASK_MAX_AGE = timedelta(days=7)

# "The newest rows" of a minifigure are looked for in recent windows first. On a
# hypertable the planner opens every chunk a statement may reach: after a few years of
# 7-day chunks that planning costs far more than reading the few rows wanted. A bound
# known when the statement is planned lets it open the recent chunks only. Keys a window
# does not settle are asked again in the next, wider one; the last window has no bound,
# so the answers are those of one unbounded statement.
RECENT_WINDOW = timedelta(days=35)
RECENT_WINDOWS: tuple[timedelta | None, ...] = (RECENT_WINDOW, None)
# A page of listings may reach further back than a latest price: a quiet figure sells
# less than a page in 35 days, and planning its whole history (every chunk) costs far
# more than reading it. Half a year is a few dozen chunks.
LISTING_WINDOWS: tuple[timedelta | None, ...] = (RECENT_WINDOW, timedelta(days=182), None)

Key = TypeVar("Key")
Found = TypeVar("Found")


async def _newest_by_windows(
    keys: Sequence[Key],
    fetch: Callable[[list[Key], datetime | None], Awaitable[Mapping[Key, Found]]],
    settled: Callable[[Found], bool],
    reference: datetime,
    windows: tuple[timedelta | None, ...] = RECENT_WINDOWS,
) -> dict[Key, Found]:
    """`fetch` over ever wider windows ending at `reference`, for the keys not settled yet."""
    found: dict[Key, Found] = {}
    remaining = list(keys)
    for window in windows:
        rows = await fetch(remaining, None if window is None else reference - window)
        found.update(rows)
        remaining = [key for key in remaining if key not in rows or not settled(rows[key])]
        if not remaining:
            break
    return found


class Interval(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class LatestPriceRow(NamedTuple):
    last_sale_usd: Decimal | None
    last_sale_at: datetime | None
    last_sale_source: str | None
    lowest_ask_usd: Decimal | None
    lowest_ask_at: datetime | None
    lowest_ask_source: str | None
    median_usd: Decimal | None
    median_day: date | None
    last_seen_at: datetime | None


class StatsRow(NamedTuple):
    change_pct: Decimal | None
    volatility_pct: Decimal | None
    low_usd: Decimal | None
    high_usd: Decimal | None
    median_usd: Decimal | None
    sample_size: int
    volume: int
    last_sale_at: datetime | None


class CandleRow(NamedTuple):
    bucket: datetime
    open_usd: Decimal
    high_usd: Decimal
    low_usd: Decimal
    close_usd: Decimal
    median_usd: Decimal
    volume: int
    trades: int


class SnapshotRow(NamedTuple):
    day: date
    condition: str
    min_usd: Decimal | None
    max_usd: Decimal | None
    mean_usd: Decimal | None
    median_usd: Decimal | None
    p25_usd: Decimal | None
    p75_usd: Decimal | None
    weighted_mean_usd: Decimal | None
    sold_count: int
    ask_count: int
    excluded_count: int
    sold_quantity: int
    sources_count: int
    lowest_ask_usd: Decimal | None
    ask_median_usd: Decimal | None
    by_source: dict[str, Any]


class ListingRow(NamedTuple):
    minifigure_id: uuid.UUID
    id: int
    observed_at: datetime
    source: str
    external_id: str
    kind: str
    condition: str
    quantity: int
    price_usd: Decimal
    shipping_usd: Decimal | None
    original_price: Decimal
    original_currency: str
    seller_name: str | None
    seller_country: str | None
    confidence: float
    excluded_reason: str | None
    fx_rate: Decimal


@dataclass(frozen=True, slots=True)
class ListingFilter:
    start: datetime | None = None
    end: datetime | None = None
    kind: ListingKind | None = None
    condition: Condition | None = None
    source: str | None = None
    include_excluded: bool = False


@dataclass(frozen=True, slots=True)
class SnapshotFilter:
    first_day: date | None = None
    last_day: date | None = None
    condition: Condition | None = None


def _ids_table(ids: Sequence[uuid.UUID]) -> Any:
    return (
        func.unnest(literal(list(ids), ARRAY(UUID(as_uuid=True))))
        .table_valued("id")
        .render_derived(name="m")
    )


def _live(
    condition: str | SQLColumnExpression[Any], kind: ListingKind
) -> list[ColumnElement[bool]]:
    """Counted observations of one kind in one condition (a value or a column)."""
    return [
        PriceListing.kind == kind.value,
        PriceListing.condition == condition,
        PriceListing.excluded_reason.is_(None),
    ]


async def latest_prices(
    session: AsyncSession, keys: Sequence[tuple[uuid.UUID, Condition]]
) -> dict[tuple[uuid.UUID, Condition], LatestPriceRow]:
    """Latest prices per (minifigure, condition) pair: all pairs in one statement per
    window (see RECENT_WINDOWS); a pair is settled once its last sale is found."""

    async def fetch(
        pending: list[tuple[uuid.UUID, Condition]], since: datetime | None
    ) -> dict[tuple[uuid.UUID, Condition], LatestPriceRow]:
        return await _latest_prices_since(session, pending, since)

    return await _newest_by_windows(
        keys, fetch, lambda row: row.last_sale_at is not None, datetime.now(UTC)
    )


async def _latest_prices_since(
    session: AsyncSession, keys: Sequence[tuple[uuid.UUID, Condition]], since: datetime | None
) -> dict[tuple[uuid.UUID, Condition], LatestPriceRow]:
    values: dict[str, Any] = {
        "ids": [minifigure_id for minifigure_id, _ in keys],
        "conditions": [condition.value for _, condition in keys],
        "asks_since": datetime.now(UTC) - CURRENT_ASK_MAX_AGE - timedelta(days=1),
    }
    if since is not None:
        values["since"] = since
    rows = await session.execute(_latest_prices_statement(bounded=since is not None), values)
    return {(row[0], Condition(row[1])): LatestPriceRow._make(row[2:]) for row in rows}


@cache
def _latest_prices_statement(*, bounded: bool) -> Select[Any]:
    """Built once (per variant) and run with bound values: building it cost more Python
    time than running it."""
    m = (
        func.unnest(
            bindparam("ids", type_=ARRAY(UUID(as_uuid=True))),
            bindparam("conditions", type_=ARRAY(Text)),
        )
        .table_valued("id", "condition")
        .render_derived(name="m")
    )
    recent = [PriceListing.observed_at >= bindparam("since", type_=DateTime(timezone=True))]
    if not bounded:
        recent = []
    sale = (
        select(PriceListing.price_usd, PriceListing.observed_at, PriceListing.source)
        .where(
            PriceListing.minifigure_id == m.c.id,
            *_live(m.c.condition, ListingKind.SOLD),
            *recent,
        )
        .order_by(PriceListing.observed_at.desc(), PriceListing.id.desc())
        .limit(fixed_limit(1))
        .lateral("sale")
    )
    ask = (
        select(PriceListing.price_usd, PriceListing.observed_at, PriceListing.source)
        .where(
            PriceListing.minifigure_id == m.c.id,
            *_live(m.c.condition, ListingKind.ASK),
            PriceListing.observed_at > func.now() - CURRENT_ASK_MAX_AGE,
            # The same bound a day wider, as a value known when the statement is planned
            # (now() is not): the planner opens the last days' chunks only.
            PriceListing.observed_at > bindparam("asks_since", type_=DateTime(timezone=True)),
        )
        .order_by(PriceListing.price_usd, PriceListing.observed_at.desc())
        .limit(fixed_limit(1))
        .lateral("ask")
    )
    snapshot = (
        select(PriceSnapshot.median_usd, PriceSnapshot.day)
        .where(
            PriceSnapshot.minifigure_id == m.c.id,
            PriceSnapshot.condition == m.c.condition,
            PriceSnapshot.median_usd.is_not(None),
        )
        .order_by(PriceSnapshot.day.desc())
        .limit(fixed_limit(1))
        .lateral("snapshot")
    )
    seen = (
        select(PriceListing.observed_at)
        .where(
            PriceListing.minifigure_id == m.c.id,
            PriceListing.condition == m.c.condition,
            PriceListing.excluded_reason.is_(None),
            *recent,
        )
        .order_by(PriceListing.observed_at.desc())
        .limit(fixed_limit(1))
        .lateral("seen")
    )
    return (
        select(
            m.c.id,
            m.c.condition,
            sale.c.price_usd,
            sale.c.observed_at,
            sale.c.source,
            ask.c.price_usd,
            ask.c.observed_at,
            ask.c.source,
            snapshot.c.median_usd,
            snapshot.c.day,
            seen.c.observed_at,
        )
        .select_from(m)
        .outerjoin(sale, true())
        .outerjoin(ask, true())
        .outerjoin(snapshot, true())
        .outerjoin(seen, true())
    )


def _volatility(
    ids: Any, condition: Condition, window: PriceWindow
) -> ScalarSelect[Decimal | None]:
    """Standard deviation of daily log changes of the snapshot median, in percent."""
    previous = func.lag(PriceSnapshot.median_usd).over(order_by=PriceSnapshot.day)
    returns = (
        select(func.ln(PriceSnapshot.median_usd / previous).label("r"))
        .where(
            PriceSnapshot.minifigure_id == ids.c.id,
            PriceSnapshot.condition == condition.value,
            PriceSnapshot.median_usd > 0,
            PriceSnapshot.day > func.current_date() - literal(window.days),
        )
        # The series belongs to the outer query's minifigure, not a cross join with it.
        .correlate(ids)
        .subquery("returns")
    )
    return select(
        func.round(cast(func.stddev_samp(returns.c.r) * 100, Numeric), 2)
    ).scalar_subquery()


async def price_stats(
    session: AsyncSession, ids: Sequence[uuid.UUID], condition: Condition, window: PriceWindow
) -> dict[uuid.UUID, StatsRow]:
    m = _ids_table(ids)
    since = func.current_date() - literal(window.days - 1)
    sales = (
        select(
            func.min(PriceListing.price_usd).label("low"),
            func.max(PriceListing.price_usd).label("high"),
            func.percentile_cont(0.5).within_group(PriceListing.price_usd).label("median"),
            func.count().label("sample_size"),
            func.coalesce(func.sum(PriceListing.quantity), 0).label("volume"),
            func.max(PriceListing.observed_at).label("last_sale_at"),
        )
        .where(
            PriceListing.minifigure_id == m.c.id,
            *_live(condition.value, ListingKind.SOLD),
            PriceListing.observed_at >= since,
            # The same window, a day wider, as a value known when the statement is
            # planned: the planner opens the window's chunks only (see RECENT_WINDOWS).
            PriceListing.observed_at >= datetime.now(UTC) - timedelta(days=window.days + 1),
        )
        .lateral("sales")
    )
    query = select(
        m.c.id,
        change_pct(m.c.id, condition, window),
        _volatility(m, condition, window),
        sales.c.low,
        sales.c.high,
        func.round(cast(sales.c.median, Numeric), 2),
        sales.c.sample_size,
        sales.c.volume,
        sales.c.last_sale_at,
    ).select_from(m.join(sales, true()))
    return {row[0]: StatsRow(*row[1:]) for row in await session.execute(query)}


async def snapshot_pages(
    session: AsyncSession,
    ids: Sequence[uuid.UUID],
    snapshot_filter: SnapshotFilter,
    *,
    after: tuple[date, str] | None,
    limit: int,
) -> dict[uuid.UUID, list[SnapshotRow]]:
    """Per minifigure, up to `limit` snapshots after the cursor, newest day first."""
    s = PriceSnapshot
    return await _newest_per_minifigure(
        session,
        ids,
        s.minifigure_id,
        [getattr(s, name) for name in SnapshotRow._fields],
        _snapshot_conditions(snapshot_filter, after),
        order_by=_SNAPSHOT_ORDER,
        limit=limit,
        make=SnapshotRow._make,
    )


async def snapshot_json_pages(
    session: AsyncSession,
    ids: Sequence[uuid.UUID],
    snapshot_filter: SnapshotFilter,
    *,
    after: tuple[date, str] | None,
    size: int,
    edge: EdgeJson,
) -> dict[uuid.UUID, JsonPage]:
    """As `snapshot_pages` (fetching `size` + 1), each page as the JSON of its edges."""
    s = PriceSnapshot
    return await _newest_json_per_minifigure(
        session,
        ids,
        s.minifigure_id,
        _snapshot_conditions(snapshot_filter, after),
        order_by=_SNAPSHOT_ORDER,
        keys=(s.day, s.condition),
        edge=edge(PriceSnapshot.__tablename__),
        size=size,
    )


_SNAPSHOT_ORDER = (PriceSnapshot.day.desc(), PriceSnapshot.condition.desc())


def _snapshot_conditions(
    snapshot_filter: SnapshotFilter, after: tuple[date, str] | None
) -> list[ColumnElement[bool]]:
    s = PriceSnapshot
    conditions: list[ColumnElement[bool]] = []
    if snapshot_filter.first_day is not None:
        conditions.append(s.day >= snapshot_filter.first_day)
    if snapshot_filter.last_day is not None:
        conditions.append(s.day <= snapshot_filter.last_day)
    if snapshot_filter.condition is not None:
        conditions.append(s.condition == snapshot_filter.condition.value)
    if after is not None:
        conditions.append(tuple_(s.day, s.condition) < tuple_(*after))
    return conditions


async def listing_pages(
    session: AsyncSession,
    ids: Sequence[uuid.UUID],
    listing_filter: ListingFilter,
    *,
    after: tuple[datetime, int] | None,
    limit: int,
) -> dict[uuid.UUID, list[ListingRow]]:
    """Per minifigure, up to `limit` observations after the cursor, newest first."""
    p = PriceListing
    conditions = _listing_conditions(listing_filter, after)

    async def fetch(
        pending: list[uuid.UUID], since: datetime | None
    ) -> dict[uuid.UUID, list[ListingRow]]:
        recent = [] if since is None else [p.observed_at >= since]
        return await _newest_per_minifigure(
            session,
            pending,
            p.minifigure_id,
            [getattr(p, name) for name in ListingRow._fields],
            [*conditions, *recent],
            order_by=_LISTING_ORDER,
            limit=limit,
            make=ListingRow._make,
        )

    return await _listings_by_windows(
        ids, listing_filter, after, fetch, lambda rows: len(rows) >= limit
    )


async def listing_json_pages(
    session: AsyncSession,
    ids: Sequence[uuid.UUID],
    listing_filter: ListingFilter,
    *,
    after: tuple[datetime, int] | None,
    size: int,
    edge: EdgeJson,
) -> dict[uuid.UUID, JsonPage]:
    """As `listing_pages` (fetching `size` + 1), each page as the JSON of its edges."""
    p = PriceListing
    conditions = _listing_conditions(listing_filter, after)
    edge_sql = edge(PriceListing.__tablename__)

    async def fetch(pending: list[uuid.UUID], since: datetime | None) -> dict[uuid.UUID, JsonPage]:
        recent = [] if since is None else [p.observed_at >= since]
        return await _newest_json_per_minifigure(
            session,
            pending,
            p.minifigure_id,
            [*conditions, *recent],
            order_by=_LISTING_ORDER,
            keys=(p.observed_at, p.id),
            edge=edge_sql,
            size=size,
        )

    return await _listings_by_windows(
        ids, listing_filter, after, fetch, lambda page: page.fetched > size
    )


_LISTING_ORDER = (PriceListing.observed_at.desc(), PriceListing.id.desc())


def _listing_conditions(
    listing_filter: ListingFilter, after: tuple[datetime, int] | None
) -> list[ColumnElement[bool]]:
    p = PriceListing
    conditions: list[ColumnElement[bool]] = []
    if listing_filter.start is not None:
        conditions.append(p.observed_at >= listing_filter.start)
    if listing_filter.end is not None:
        conditions.append(p.observed_at < listing_filter.end)
    if listing_filter.kind is not None:
        conditions.append(p.kind == listing_filter.kind.value)
    if listing_filter.condition is not None:
        conditions.append(p.condition == listing_filter.condition.value)
    if listing_filter.source is not None:
        conditions.append(p.source == listing_filter.source)
    if not listing_filter.include_excluded:
        conditions.append(p.excluded_reason.is_(None))
    if after is not None:
        conditions.append(tuple_(p.observed_at, p.id) < tuple_(*after))
    return conditions


async def _listings_by_windows(
    ids: Sequence[uuid.UUID],
    listing_filter: ListingFilter,
    after: tuple[datetime, int] | None,
    fetch: Callable[[list[uuid.UUID], datetime | None], Awaitable[dict[uuid.UUID, Found]]],
    full: Callable[[Found], bool],
) -> dict[uuid.UUID, Found]:
    """Pages looked for in recent windows first (see LISTING_WINDOWS) until `full`."""
    # The window ends where the page starts: at the cursor, the end of the range, or now.
    ends = [moment for moment in (after[0] if after else None, listing_filter.end) if moment]
    newest = min(ends, default=datetime.now(UTC))
    if listing_filter.start is not None and listing_filter.start >= newest - RECENT_WINDOW:
        # The range is already short: one statement.
        return await fetch(list(ids), None)
    return await _newest_by_windows(ids, fetch, full, newest, LISTING_WINDOWS)


async def _newest_per_minifigure(
    session: AsyncSession,
    ids: Sequence[uuid.UUID],
    minifigure_id: SQLColumnExpression[Any],
    columns: list[Any],
    conditions: list[ColumnElement[bool]],
    *,
    order_by: tuple[Any, ...],
    limit: int,
    make: Callable[[Sequence[Any]], Page],
) -> dict[uuid.UUID, list[Page]]:
    """The first `limit` rows of each minifigure in `order_by`, in one statement.

    One `LATERAL ... ORDER BY ... LIMIT` per minifigure walks its index (on
    TimescaleDB, newest chunk first) and stops after `limit` rows: the cost follows
    the page size, not the length of the history.
    """
    m = _ids_table(ids)
    page = (
        select(*columns)
        .where(minifigure_id == m.c.id, *conditions)
        .order_by(*order_by)
        .limit(fixed_limit(limit))
        .lateral("page")
    )
    found: dict[uuid.UUID, list[Page]] = defaultdict(list)
    for row in await session.execute(select(m.c.id, *page.c).select_from(m.join(page, true()))):
        found[row[0]].append(make(row[1:]))
    return found


class JsonPage(NamedTuple):
    """A page of edges written as JSON by PostgreSQL (server/graphql/json_pages.py)."""

    edges: str  # a JSON array
    fetched: int  # rows found: up to the page size + 1
    first: tuple[Any, ...]  # the sort keys of the page's first and last rows
    last: tuple[Any, ...]


# Given the name of the table (or subquery) its columns come from: the SQL text of one edge.
EdgeJson = Callable[[str], ColumnElement[str]]


def json_array(
    item: ColumnElement[str], order: Any, only: ColumnElement[bool] | None = None
) -> ColumnElement[str]:
    """An aggregate: the JSON texts of the items (those passing `only`) as one array."""
    items = func.array_agg(aggregate_order_by(item, order))
    texts = func.array_to_string(
        items if only is None else items.filter(only), literal_column("','")
    )
    return func.concat(literal_column("'['"), texts, literal_column("']'"))


async def _newest_json_per_minifigure(
    session: AsyncSession,
    ids: Sequence[uuid.UUID],
    minifigure_id: SQLColumnExpression[Any],
    conditions: list[ColumnElement[bool]],
    *,
    order_by: tuple[Any, ...],
    keys: tuple[Any, ...],
    edge: ColumnElement[str],
    size: int,
) -> dict[uuid.UUID, JsonPage]:
    """As `_newest_per_minifigure` with `size` + 1 rows, aggregated into one row per
    minifigure: the first `size` rows' edges as one JSON array, and the sort keys of
    the page's ends (for its cursors)."""
    m = _ids_table(ids)
    page = (
        select(
            *(key.label(f"k{index}") for index, key in enumerate(keys)),
            edge.label("edge"),
            func.row_number().over(order_by=order_by).label("position"),
        )
        .where(minifigure_id == m.c.id, *conditions)
        .order_by(*order_by)
        .limit(fixed_limit(size + 1))
        .lateral("page")
    )
    on_page = page.c.position <= fixed_limit(size)
    ends = [
        func.array_agg(aggregate_order_by(page.c[f"k{index}"], direction)).filter(on_page)[1]
        for direction in (page.c.position.asc(), page.c.position.desc())
        for index in range(len(keys))
    ]
    edges = json_array(page.c.edge, page.c.position, on_page)
    query = (
        select(
            m.c.id,
            func.count(),
            edges,
            *ends,
        )
        .select_from(m.join(page, true()))
        .group_by(m.c.id)
    )
    width = len(keys)
    return {
        row[0]: JsonPage(row[2], row[1], tuple(row[3 : 3 + width]), tuple(row[3 + width :]))
        for row in await session.execute(query)
    }


async def listings_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, ListingRow]:
    columns = [getattr(PriceListing, name) for name in ListingRow._fields]
    result = await session.execute(select(*columns).where(PriceListing.id.in_(ids)))
    return {row.id: ListingRow(*row) for row in result}
