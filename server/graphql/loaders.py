"""DataLoaders, built per request so batching never leaks data across requests.

Price loaders are keyed by (minifigure id, arguments): one batch runs one statement per
distinct set of arguments, so a page of 50 minifigures costs what a page of 5 costs.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.dataloader import DataLoader

from server.db import read_session
from server.graphql.errors import ClientError
from server.graphql.json_pages import Template, edge_json
from server.models import Condition, ListingKind, Minifigure
from server.store.candles import CandleSource, CandleWidth, price_history, price_history_json
from server.store.catalog import minifigures_by_fig_nums, minifigures_by_ids
from server.store.deals import FigureKey, SourceAsks, ask_spreads, deal_listings
from server.store.fx_queries import usd_per_unit_on_days
from server.store.price_measures import PriceWindow
from server.store.prices_queries import (
    CandleRow,
    JsonPage,
    LatestPriceRow,
    ListingFilter,
    ListingRow,
    SnapshotFilter,
    SnapshotRow,
    StatsRow,
    latest_prices,
    listing_json_pages,
    listing_pages,
    listings_by_ids,
    price_stats,
    snapshot_json_pages,
    snapshot_pages,
)

Params = TypeVar("Params", bound=Hashable)
Value = TypeVar("Value")
SessionFactory = async_sessionmaker[AsyncSession]


@dataclass(frozen=True, slots=True)
class HistoryParams:
    start: datetime
    end: datetime
    width: CandleWidth
    condition: Condition
    kind: ListingKind


@dataclass(frozen=True, slots=True)
class SnapshotPageParams:
    snapshot_filter: SnapshotFilter
    after: tuple[date, str] | None
    limit: int


@dataclass(frozen=True, slots=True)
class ListingPageParams:
    listing_filter: ListingFilter
    after: tuple[datetime, int] | None
    limit: int


@dataclass(frozen=True, slots=True)
class JsonPageParams:
    """A page (`after`, `size`) whose edges are written as JSON by `template`."""

    after: tuple[Any, ...] | None
    size: int
    template: Template


@dataclass(slots=True)
class Loaders:
    minifigure_by_id: DataLoader[uuid.UUID, Minifigure | None]
    minifigure_by_fig_num: DataLoader[str, Minifigure | None]
    latest_price: DataLoader[tuple[uuid.UUID, Condition], LatestPriceRow | None]
    stats: DataLoader[tuple[uuid.UUID, tuple[Condition, PriceWindow]], StatsRow | None]
    history: DataLoader[tuple[uuid.UUID, HistoryParams], list[CandleRow]]
    history_json: DataLoader[tuple[uuid.UUID, tuple[HistoryParams, Template]], str | None]
    snapshots: DataLoader[tuple[uuid.UUID, SnapshotPageParams], list[SnapshotRow]]
    listings: DataLoader[tuple[uuid.UUID, ListingPageParams], list[ListingRow]]
    snapshot_json: DataLoader[
        tuple[uuid.UUID, tuple[SnapshotFilter, JsonPageParams]], JsonPage | None
    ]
    listing_json: DataLoader[
        tuple[uuid.UUID, tuple[ListingFilter, JsonPageParams]], JsonPage | None
    ]
    listing_by_id: DataLoader[int, ListingRow | None]
    usd_per_unit: DataLoader[tuple[str, date], Decimal]
    # Deals: a listing with its offer's web page; the current asks per source.
    deal_listing: DataLoader[int, tuple[ListingRow, str | None] | None]
    ask_spread: DataLoader[FigureKey, list[SourceAsks]]


def _per_minifigure(
    session_factory: SessionFactory,
    fetch: Callable[[AsyncSession, list[uuid.UUID], Params], Awaitable[Mapping[uuid.UUID, Value]]],
    missing: Callable[[], Value],
) -> DataLoader[tuple[uuid.UUID, Params], Value]:
    """A loader that runs `fetch` once per distinct argument set in a batch."""

    async def load(keys: Sequence[tuple[uuid.UUID, Params]]) -> list[Value]:
        groups: dict[Params, list[uuid.UUID]] = {}
        for minifigure_id, params in keys:
            groups.setdefault(params, []).append(minifigure_id)
        found: dict[tuple[uuid.UUID, Params], Value] = {}
        async with read_session(session_factory) as session:
            for params, ids in groups.items():
                rows = await fetch(session, ids, params)
                for minifigure_id in ids:
                    found[(minifigure_id, params)] = rows.get(minifigure_id, missing())
        return [found[key] for key in keys]

    return DataLoader(load_fn=load)


def _none() -> None:
    return None


def _rates_loader(session_factory: SessionFactory) -> DataLoader[tuple[str, date], Decimal]:
    async def load(keys: Sequence[tuple[str, date]]) -> list[Decimal | BaseException]:
        days_by_currency: dict[str, list[date]] = {}
        for currency, day in keys:
            days_by_currency.setdefault(currency, []).append(day)
        rates: dict[tuple[str, date], Decimal] = {}
        async with read_session(session_factory) as session:
            for currency, days in days_by_currency.items():
                found = await usd_per_unit_on_days(session, currency, days)
                rates.update({(currency, day): rate for day, rate in found.items()})
        return [
            rates.get(key)
            or ClientError(
                "UNKNOWN_CURRENCY", f"no {key[0]} exchange rate on or before {key[1].isoformat()}"
            )
            for key in keys
        ]

    return DataLoader(load_fn=load)


def create_loaders(session_factory: SessionFactory, candle_source: CandleSource) -> Loaders:
    async def load_by_ids(ids: Sequence[uuid.UUID]) -> list[Minifigure | None]:
        async with read_session(session_factory) as session:
            found = {m.id: m for m in await minifigures_by_ids(session, ids)}
        return [found.get(i) for i in ids]

    async def load_by_fig_nums(fig_nums: Sequence[str]) -> list[Minifigure | None]:
        async with read_session(session_factory) as session:
            found = {m.fig_num: m for m in await minifigures_by_fig_nums(session, fig_nums)}
        return [found.get(f) for f in fig_nums]

    async def load_listings_by_ids(ids: Sequence[int]) -> list[ListingRow | None]:
        async with read_session(session_factory) as session:
            found = await listings_by_ids(session, ids)
        return [found.get(i) for i in ids]

    async def load_deal_listings(ids: Sequence[int]) -> list[tuple[ListingRow, str | None] | None]:
        async with read_session(session_factory) as session:
            found = await deal_listings(session, ids)
        return [found.get(i) for i in ids]

    async def load_spreads(keys: Sequence[FigureKey]) -> list[list[SourceAsks]]:
        async with read_session(session_factory) as session:
            found = await ask_spreads(session, keys, now=datetime.now(UTC))
        return [found.get(key, []) for key in keys]

    async def load_latest(
        keys: Sequence[tuple[uuid.UUID, Condition]],
    ) -> list[LatestPriceRow | None]:
        # Both conditions in one statement: a detail page asks for NEW and USED together.
        async with read_session(session_factory) as session:
            found = await latest_prices(session, keys)
        return [found.get(key) for key in keys]

    async def fetch_stats(
        session: AsyncSession, ids: list[uuid.UUID], params: tuple[Condition, PriceWindow]
    ) -> Mapping[uuid.UUID, StatsRow]:
        return await price_stats(session, ids, *params)

    async def fetch_history(
        session: AsyncSession, ids: list[uuid.UUID], p: HistoryParams
    ) -> Mapping[uuid.UUID, list[CandleRow]]:
        return await price_history(
            session,
            ids,
            start=p.start,
            end=p.end,
            width=p.width,
            condition=p.condition,
            kind=p.kind,
            source=candle_source,
        )

    async def fetch_history_json(
        session: AsyncSession, ids: list[uuid.UUID], params: tuple[HistoryParams, Template]
    ) -> Mapping[uuid.UUID, str]:
        p, template = params
        return await price_history_json(
            session,
            ids,
            start=p.start,
            end=p.end,
            width=p.width,
            condition=p.condition,
            kind=p.kind,
            source=candle_source,
            item=partial(edge_json, template),
        )

    async def fetch_snapshots(
        session: AsyncSession, ids: list[uuid.UUID], p: SnapshotPageParams
    ) -> Mapping[uuid.UUID, list[SnapshotRow]]:
        return await snapshot_pages(session, ids, p.snapshot_filter, after=p.after, limit=p.limit)

    async def fetch_listings(
        session: AsyncSession, ids: list[uuid.UUID], p: ListingPageParams
    ) -> Mapping[uuid.UUID, list[ListingRow]]:
        return await listing_pages(session, ids, p.listing_filter, after=p.after, limit=p.limit)

    async def fetch_snapshot_json(
        session: AsyncSession, ids: list[uuid.UUID], p: tuple[SnapshotFilter, JsonPageParams]
    ) -> Mapping[uuid.UUID, JsonPage]:
        snapshot_filter, page = p
        return await snapshot_json_pages(
            session,
            ids,
            snapshot_filter,
            after=page.after,
            size=page.size,
            edge=partial(edge_json, page.template),
        )

    async def fetch_listing_json(
        session: AsyncSession, ids: list[uuid.UUID], p: tuple[ListingFilter, JsonPageParams]
    ) -> Mapping[uuid.UUID, JsonPage]:
        listing_filter, page = p
        return await listing_json_pages(
            session,
            ids,
            listing_filter,
            after=page.after,
            size=page.size,
            edge=partial(edge_json, page.template),
        )

    return Loaders(
        minifigure_by_id=DataLoader(load_fn=load_by_ids),
        minifigure_by_fig_num=DataLoader(load_fn=load_by_fig_nums),
        latest_price=DataLoader(load_fn=load_latest),
        stats=_per_minifigure(session_factory, fetch_stats, _none),
        history=_per_minifigure(session_factory, fetch_history, list),
        history_json=_per_minifigure(session_factory, fetch_history_json, _none),
        snapshots=_per_minifigure(session_factory, fetch_snapshots, list),
        listings=_per_minifigure(session_factory, fetch_listings, list),
        snapshot_json=_per_minifigure(session_factory, fetch_snapshot_json, _none),
        listing_json=_per_minifigure(session_factory, fetch_listing_json, _none),
        listing_by_id=DataLoader(load_fn=load_listings_by_ids),
        usd_per_unit=_rates_loader(session_factory),
        deal_listing=DataLoader(load_fn=load_deal_listings),
        ask_spread=DataLoader(load_fn=load_spreads),
    )
