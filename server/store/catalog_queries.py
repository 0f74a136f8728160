"""Catalog browsing: filtered, ordered, keyset-paginated pages of minifigures; theme counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Numeric,
    Select,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Condition, Minifigure, PriceListing
from server.store.keyset import Position, Seek
from server.store.price_measures import PriceWindow, change_pct, latest_median
from server.store.statements import fixed_limit

# A one-letter typo in an eight-letter word scores about 0.58; a short word sharing only
# its ending with a name scores 0.5 ("vader" in "Cheerleader"), which is no match.
TYPO_SIMILARITY = 0.55


class CatalogSort(StrEnum):
    NAME = "NAME"
    FIG_NUM = "FIG_NUM"
    YEAR = "YEAR"
    PRICE = "PRICE"
    CHANGE_7D = "CHANGE_7D"
    RELEVANCE = "RELEVANCE"


@dataclass(frozen=True, slots=True)
class CatalogFilter:
    search: str | None = None
    themes: tuple[str, ...] | None = None
    years: tuple[int, ...] | None = None
    has_price: bool | None = None


@dataclass(frozen=True, slots=True)
class CatalogOrder:
    sort: CatalogSort = CatalogSort.NAME
    descending: bool = False
    # Which condition's prices PRICE and CHANGE_7D sort by.
    condition: Condition = Condition.USED


@dataclass(frozen=True, slots=True)
class CatalogPageRequest:
    limit: int
    after: Position | None = None
    backward: bool = False


@dataclass(frozen=True, slots=True)
class CatalogRow:
    minifigure: Minifigure
    sort_key: Any


@dataclass(frozen=True, slots=True)
class ThemeCount:
    theme: str
    count: int


def _search_match(search: str, typo_tolerant: bool) -> tuple[ColumnElement[bool], Any]:
    """(match condition, relevance expression) for a free-text search."""
    words = func.websearch_to_tsquery("simple", search).op("||")(
        func.websearch_to_tsquery("english", search)
    )
    full_text = Minifigure.search_vector.op("@@")(words)
    fig_num_prefix = Minifigure.fig_num.startswith(search.strip().lower(), autoescape=True)
    rank = func.ts_rank(Minifigure.search_vector, words)
    if not typo_tolerant:
        return or_(full_text, fig_num_prefix), func.round(cast(rank, Numeric), 6)
    # Word similarity forgives typos ("skywlker" finds "Luke Skywalker"). The catalog is
    # small enough (tens of thousands of rows) for the function to run on every row.
    similar = func.word_similarity(search, Minifigure.name) >= TYPO_SIMILARITY
    relevance = rank + func.word_similarity(search, Minifigure.name)
    return or_(full_text, fig_num_prefix, similar), func.round(cast(relevance, Numeric), 6)


def _filtered(catalog_filter: CatalogFilter, typo_tolerant: bool) -> tuple[Select[Any], Any]:
    """The filtered id set, and the search relevance (None without a search)."""
    query = select(Minifigure.id)
    relevance: Any = None
    if catalog_filter.search and catalog_filter.search.strip():
        match, relevance = _search_match(catalog_filter.search.strip(), typo_tolerant)
        query = query.where(match)
    if catalog_filter.themes is not None:
        query = query.where(Minifigure.theme.in_(catalog_filter.themes))
    if catalog_filter.years is not None:
        query = query.where(Minifigure.year_released.in_(catalog_filter.years))
    if catalog_filter.has_price is not None:
        priced = exists().where(
            PriceListing.minifigure_id == Minifigure.id, PriceListing.excluded_reason.is_(None)
        )
        query = query.where(priced if catalog_filter.has_price else ~priced)
    return query, relevance


def _sort_key(order: CatalogOrder, relevance: Any) -> Any:
    match order.sort:
        case CatalogSort.NAME:
            return Minifigure.name
        case CatalogSort.FIG_NUM:
            return Minifigure.fig_num
        case CatalogSort.YEAR:
            return Minifigure.year_released
        case CatalogSort.PRICE:
            return latest_median(Minifigure.id, order.condition)
        case CatalogSort.CHANGE_7D:
            return change_pct(Minifigure.id, order.condition, PriceWindow.D7)
        case CatalogSort.RELEVANCE:
            return relevance if relevance is not None else literal(None)


async def minifigures_page(
    session: AsyncSession,
    catalog_filter: CatalogFilter,
    order: CatalogOrder,
    page: CatalogPageRequest,
    *,
    typo_tolerant: bool,
) -> list[CatalogRow]:
    """Up to `page.limit` rows after `page.after`, in display order (also when backward)."""
    ids, relevance = _filtered(catalog_filter, typo_tolerant)
    keyed = ids.add_columns(_sort_key(order, relevance).label("sort_key")).subquery("keyed")
    seek = Seek(descending=order.descending, backward=page.backward)
    query = (
        select(Minifigure, keyed.c.sort_key)
        .join(keyed, keyed.c.id == Minifigure.id)
        .order_by(*seek.order_by(keyed.c.sort_key, Minifigure.id))
        .limit(fixed_limit(page.limit))
    )
    if page.after is not None:
        query = query.where(seek.after(keyed.c.sort_key, Minifigure.id, page.after))
    rows = [CatalogRow(minifigure, key) for minifigure, key in (await session.execute(query))]
    return rows[::-1] if page.backward else rows


async def count_minifigures(
    session: AsyncSession, catalog_filter: CatalogFilter, *, typo_tolerant: bool
) -> int:
    ids, _ = _filtered(catalog_filter, typo_tolerant)
    return int(await session.scalar(select(func.count()).select_from(ids.subquery())) or 0)


async def theme_counts(session: AsyncSession) -> Sequence[ThemeCount]:
    """Every theme with its number of minifigures, largest first."""
    result = await session.execute(
        select(Minifigure.theme, func.count())
        .where(Minifigure.theme.is_not(None))
        .group_by(Minifigure.theme)
        .order_by(func.count().desc(), Minifigure.theme)
    )
    return [ThemeCount(str(theme), count) for theme, count in result]


async def has_trigram_search(session: AsyncSession) -> bool:
    """Whether pg_trgm is installed (typo-tolerant search); plain full text otherwise."""
    found = await session.scalar(
        text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")
    )
    return bool(found)
