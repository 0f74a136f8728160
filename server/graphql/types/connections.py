"""Generic Relay connection and edge types."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Generic, TypeVar

import strawberry

from server.graphql.pagination import PageInfo
from server.graphql.series import Nested, Readers, as_series, plain

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
    info = PageInfo(
        has_next_page=had_cursor if backward else has_more,
        has_previous_page=has_more if backward else had_cursor,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
    )
    return edges, info


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


def edge_series(
    edges: list[Edge[Item]], rows: Sequence[Row], node_readers: Readers
) -> list[Edge[Item]]:
    """`edges` (built from `rows`, one each, in order) as a series: completed in one pass
    when the selection allows (server/graphql/series.py)."""
    readers: Readers = {
        "cursor": plain(itemgetter(0)),
        "node": Nested(itemgetter(1), node_readers),
    }
    # `rows` may hold one more than the page (fetched to learn `has_more`).
    pairs = [(edge.cursor, row) for edge, row in zip(edges, rows, strict=False)]
    return as_series(edges, pairs, readers)
