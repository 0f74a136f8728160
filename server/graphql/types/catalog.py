"""Browsing the catalog: the `minifigures` connection, its filter and ordering, and themes."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from server.db import read_session
from server.graphql.context import Context
from server.graphql.errors import ClientError
from server.graphql.pagination import decode_cursor, direction, encode_cursor
from server.graphql.types.connections import Connection, page_of
from server.graphql.types.enums import Condition
from server.graphql.types.minifigure import Minifigure
from server.store.catalog_queries import (
    CatalogFilter,
    CatalogOrder,
    CatalogPageRequest,
    CatalogSort,
    count_minifigures,
    minifigures_page,
)
from server.store.keyset import Position

MAX_SEARCH_LENGTH = 200
MAX_FILTER_VALUES = 100


@strawberry.enum(description="What to order minifigures by.")
class MinifigureSortField(Enum):
    NAME = strawberry.enum_value("NAME", description="Catalog name.")
    FIG_NUM = strawberry.enum_value("FIG_NUM", description="Fig number.")
    YEAR = strawberry.enum_value("YEAR", description="Year of release (unknown years last).")
    PRICE = strawberry.enum_value("PRICE", description="Latest daily median price (unpriced last).")
    CHANGE_7D = strawberry.enum_value(
        "CHANGE_7D", description="Percent change over the last 7 days (no data last)."
    )
    RELEVANCE = strawberry.enum_value(
        "RELEVANCE", description="How well the name matches `filter.search` (needs a search)."
    )


@strawberry.enum(description="Sort direction.")
class SortDirection(Enum):
    ASC = strawberry.enum_value("ASC", description="Smallest first.")
    DESC = strawberry.enum_value("DESC", description="Largest first.")


@strawberry.input(description="Which minifigures to list; all given conditions must hold.")
class MinifigureFilter:
    search: str | None = strawberry.field(
        default=None,
        description="Words to find in the name, fig number or theme; tolerates typos.",
    )
    themes: list[str] | None = strawberry.field(
        default=None, description="Only these themes (exact names, see `themes`)."
    )
    years: list[int] | None = strawberry.field(
        default=None, description="Only minifigures released in these years."
    )
    has_price: bool | None = strawberry.field(
        default=None,
        description="true: only minifigures with at least one counted price; false: only without.",
    )

    def to_store(self) -> CatalogFilter:
        if self.search is not None and len(self.search) > MAX_SEARCH_LENGTH:
            raise ClientError(
                "INVALID_ARGUMENTS", f"search is limited to {MAX_SEARCH_LENGTH} characters"
            )
        for name, values in (("themes", self.themes), ("years", self.years)):
            if values is not None and len(values) > MAX_FILTER_VALUES:
                raise ClientError(
                    "INVALID_ARGUMENTS", f"{name} is limited to {MAX_FILTER_VALUES} values"
                )
        return CatalogFilter(
            search=self.search,
            themes=tuple(self.themes) if self.themes is not None else None,
            years=tuple(self.years) if self.years is not None else None,
            has_price=self.has_price,
        )


@strawberry.input(description="How to order minifigures; ties are broken by a stable id.")
class MinifigureOrder:
    field: MinifigureSortField = strawberry.field(description="What to order by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending or descending."
    )
    condition: Condition = strawberry.field(
        default=Condition.USED, description="Whose prices PRICE and CHANGE_7D use."
    )


@strawberry.type(description="A page of minifigures.")
class MinifigureConnection(Connection[Minifigure]):
    catalog_filter: strawberry.Private[CatalogFilter]

    @strawberry.field(description="How many minifigures match the filter, on all pages.")
    async def total_count(self, info: Info[Context, None]) -> int:
        async with read_session(info.context.session_factory) as session:
            return await count_minifigures(
                session, self.catalog_filter, typo_tolerant=info.context.typo_tolerant_search
            )


@strawberry.type(description="A theme and how many minifigures it has.")
class Theme:
    name: str = strawberry.field(description="The theme's name; filter with `themes`.")
    count: int = strawberry.field(description="Minifigures in the catalog with this theme.")


def _store_order(order: MinifigureOrder | None, catalog_filter: CatalogFilter) -> CatalogOrder:
    searching = bool(catalog_filter.search and catalog_filter.search.strip())
    if order is None:
        if searching:
            return CatalogOrder(sort=CatalogSort.RELEVANCE, descending=True)
        return CatalogOrder()
    if order.field is MinifigureSortField.RELEVANCE and not searching:
        raise ClientError("INVALID_ARGUMENTS", "RELEVANCE ordering needs `filter.search`")
    return CatalogOrder(
        sort=CatalogSort[order.field.name],
        descending=order.direction is SortDirection.DESC,
        condition=order.condition.to_store(),
    )


def _cursor_kind(order: CatalogOrder) -> str:
    return f"minifigures:{order.sort}:{'desc' if order.descending else 'asc'}:{order.condition}"


_MAX_CURSOR_DIGITS = 12


def _key_from_cursor(sort: CatalogSort, raw: Any) -> Any:
    if raw is None:
        return None
    try:
        match sort:
            case CatalogSort.NAME | CatalogSort.FIG_NUM if isinstance(raw, str):
                return raw
            case CatalogSort.YEAR if isinstance(raw, int) and not isinstance(raw, bool):
                if abs(raw) < 10**_MAX_CURSOR_DIGITS:
                    return raw
            case CatalogSort.PRICE | CatalogSort.CHANGE_7D | CatalogSort.RELEVANCE if isinstance(
                raw, str | int | float
            ) and not isinstance(raw, bool):
                number = Decimal(str(raw))
                # NaN, infinities and 1e999999999 are no value this API ever wrote;
                # adjusted() is the power of ten, compared without overflowing.
                if number.is_finite() and number.adjusted() < _MAX_CURSOR_DIGITS:
                    return number
    except InvalidOperation:
        pass
    raise ClientError("INVALID_CURSOR", "malformed cursor")


def _position(cursor: str, order: CatalogOrder) -> Position:
    key, raw_id = decode_cursor(cursor, _cursor_kind(order), 2)
    try:
        tie = uuid.UUID(str(raw_id))
    except ValueError:
        raise ClientError("INVALID_CURSOR", "malformed cursor") from None
    return Position(key=_key_from_cursor(order.sort, key), tie=tie)


async def minifigures_connection(
    info: Info[Context, None],
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    catalog_filter: MinifigureFilter | None,
    order: MinifigureOrder | None,
) -> MinifigureConnection:
    size, cursor, backward = direction(first, after, last, before)
    store_filter = catalog_filter.to_store() if catalog_filter else CatalogFilter()
    store_order = _store_order(order, store_filter)
    request = CatalogPageRequest(
        limit=size + 1,
        after=_position(cursor, store_order) if cursor else None,
        backward=backward,
    )
    async with read_session(info.context.session_factory) as session:
        rows = await minifigures_page(
            session,
            store_filter,
            store_order,
            request,
            typo_tolerant=info.context.typo_tolerant_search,
        )
    has_more = len(rows) > size
    # Rows come in display order; the extra row sits at the far end of the paging direction.
    page = (rows[1:] if backward else rows[:size]) if has_more else rows
    kind = _cursor_kind(store_order)
    edges, page_info = page_of(
        [Minifigure.from_row(row.minifigure) for row in page],
        [encode_cursor(kind, _json_key(row.sort_key), str(row.minifigure.id)) for row in page],
        has_more=has_more,
        backward=backward,
        had_cursor=cursor is not None,
    )
    return MinifigureConnection(edges=edges, page_info=page_info, catalog_filter=store_filter)


def _json_key(key: Any) -> Any:
    return str(key) if isinstance(key, Decimal) else key
