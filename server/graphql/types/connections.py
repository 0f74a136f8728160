"""Generic Relay connection and edge types."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar, cast

import orjson
import strawberry

from server.graphql.pagination import PageInfo
from server.graphql.series import Nested, Readers, as_series, plain
from server.store.prices_queries import JsonPage

Item = TypeVar("Item")
Row = TypeVar("Row")


@strawberry.type(description="An item of a page and its cursor.")
class Edge(Generic[Item]):
    cursor: str = strawberry.field(description="Pass to `after` (or `before`) to page on.")
    node: Item = strawberry.field(description="The item.")


@strawberry.type(description="A page of items.")
class Connection(Generic[Item]):
    edges: list[Edge[Item]] = strawberry.field(description="The items with their cursors.")
    page_info: PageInfo = strawberry.field(description="Whether more pages follow or precede.")

    @strawberry.field(description="The items without their cursors.")
    def nodes(self) -> list[Item]:
        return [edge.node for edge in self.edges]


def page_of(
    items: list[Item], cursors: list[str], *, has_more: bool, backward: bool, had_cursor: bool
) -> tuple[list[Edge[Item]], PageInfo]:
    """Edges and PageInfo of a page fetched one item beyond its size (to learn `has_more`)."""
    edges = [Edge(cursor=c, node=i) for i, c in zip(items, cursors, strict=True)]
    first, last = (cursors[0], cursors[-1]) if cursors else (None, None)
    return edges, _page_info(
        first, last, has_more=has_more, backward=backward, had_cursor=had_cursor
    )


def _page_info(
    first: str | None, last: str | None, *, has_more: bool, backward: bool, had_cursor: bool
) -> PageInfo:
    return PageInfo(
        has_next_page=had_cursor if backward else has_more,
        has_previous_page=has_more if backward else had_cursor,
        start_cursor=first,
        end_cursor=last,
    )


def forward_page(
    rows: Sequence[Row],
    size: int,
    *,
    node: Callable[[Row], Item],
    cursor: Callable[[Row], str],
    had_cursor: bool,
) -> tuple[list[Edge[Item]], PageInfo]:
    """A forward page from rows fetched one beyond `size`."""
    page = rows[:size]
    return page_of(
        [node(row) for row in page],
        [cursor(row) for row in page],
        has_more=len(rows) > size,
        backward=False,
        had_cursor=had_cursor,
    )


def forward_series_page(
    rows: Sequence[Row],
    size: int,
    *,
    node: Callable[[Row], Item],
    cursor: Callable[[Row], str],
    had_cursor: bool,
    node_readers: Readers,
) -> tuple[list[Edge[Item]], PageInfo]:
    """As `forward_page`, with the edges as a series (server/graphql/series.py): when the
    selection allows, they are completed in one pass from the rows, and neither the
    edge objects nor the cursors nobody selected are made."""
    page = rows[:size]
    readers: Readers = {"cursor": plain(cursor), "node": Nested(lambda row: row, node_readers)}

    def edges() -> list[Edge[Item]]:
        return [Edge(cursor=cursor(row), node=node(row)) for row in page]

    first, last = (cursor(page[0]), cursor(page[-1])) if page else (None, None)
    info = _page_info(first, last, has_more=len(rows) > size, backward=False, had_cursor=had_cursor)
    return as_series(page, readers, edges), info


def json_page(
    page: JsonPage | None,
    size: int,
    *,
    cursor: Callable[[tuple[Any, ...]], str],
    had_cursor: bool,
) -> tuple[list[Edge[Any]], PageInfo]:
    """As `forward_page`, from a page whose edges PostgreSQL wrote as JSON
    (server/graphql/json_pages.py): the edges are that JSON, spliced into the answer."""
    if page is None or page.fetched == 0 or size == 0:
        edges, first, last = "[]", None, None
    else:
        edges, first, last = page.edges, cursor(page.first), cursor(page.last)
    has_more = page is not None and page.fetched > size
    info = _page_info(first, last, has_more=has_more, backward=False, had_cursor=had_cursor)
    # Completion returns the fragment as it is (StonksExecutionContext.complete_value).
    return cast("list[Edge[Any]]", orjson.Fragment(edges)), info
