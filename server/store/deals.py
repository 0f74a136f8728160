"""Deals: current asks priced well under what their figure recently sold for.

The reference is the *sold median*: the median unit price of the figure's counted
(not excluded) sales in the same condition over the last `SOLD_MEDIAN_WINDOW`, exact in
numeric (the mean of the two middle prices when their count is even). An ask is a deal
at `X` % when `price <= median * (100 - X) / 100`; the boundary itself qualifies.

Current asks are those seen within `CURRENT_ASK_MAX_AGE`, one row per offer: a
marketplace offer is sighted again every day, so only its latest sighting counts (its
price may have changed). Asks excluded by their title (lots, parts, customs) are never
deals; an ask excluded as a price outlier is: being far under the other asks is what a
bargain looks like. Sales excluded for any reason never count in the median.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Numeric,
    Select,
    Text,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID, distinct_on
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.selectable import LateralFromClause

from server.models import Condition, ListingKind, Minifigure, PriceListing
from server.models.prices import OUTLIER
from server.store.prices_queries import CURRENT_ASK_MAX_AGE, ListingRow
from server.store.statements import fixed_limit

SOLD_MEDIAN_WINDOW = timedelta(days=30)

# Where a source's raw payload names the offer's own web page. BrickLink's price guide
# has no page per offer, so its deals carry no URL.
_URL_KEYS = {"ebay": "itemWebUrl", "brickowl": "url"}

FigureKey = tuple[uuid.UUID, str]


def is_deal(price_usd: Decimal, sold_median_usd: Decimal, min_discount_pct: Decimal) -> bool:
    """The rule of the module docstring, in Python (the live side uses it)."""
    return sold_median_usd > 0 and price_usd * 100 <= sold_median_usd * (100 - min_discount_pct)


def discount_pct(price_usd: Decimal, sold_median_usd: Decimal) -> Decimal:
    return (sold_median_usd - price_usd) * 100 / sold_median_usd


@dataclass(frozen=True, slots=True)
class DealFilter:
    min_discount_pct: Decimal
    condition: Condition | None = None
    themes: tuple[str, ...] | None = None


class DealRow(NamedTuple):
    listing: ListingRow
    url: str | None
    sold_median_usd: Decimal
    discount_pct: Decimal


class SourceAsks(NamedTuple):
    """A source's current asks for one figure in one condition."""

    source: str
    asks: int
    lowest_usd: Decimal
    highest_usd: Decimal


def _listing_url() -> ColumnElement[str | None]:
    return case(
        *(
            (PriceListing.source == source, PriceListing.raw[key].astext)
            for source, key in _URL_KEYS.items()
        ),
        else_=None,
    )


def _median(price: Any) -> ColumnElement[Decimal]:
    lower = func.percentile_disc(0.5).within_group(price.asc())
    upper = func.percentile_disc(0.5).within_group(price.desc())
    # The two middle prices have cents: their mean has at most three decimals.
    return func.round((lower + upper) / 2, 3)


def is_offered(kind: str, excluded_reason: str | None) -> bool:
    """An ask that may be a deal (or part of a bundle): see the module docstring."""
    return kind == ListingKind.ASK.value and excluded_reason in (None, OUTLIER)


def _counted_sales() -> list[ColumnElement[bool]]:
    return [PriceListing.kind == ListingKind.SOLD.value, PriceListing.excluded_reason.is_(None)]


def _offered_asks() -> list[ColumnElement[bool]]:
    reason = PriceListing.excluded_reason
    return [PriceListing.kind == ListingKind.ASK.value, or_(reason.is_(None), reason == OUTLIER)]


def _current_ask_bounds() -> list[ColumnElement[bool]]:
    return [
        PriceListing.observed_at > func.now() - CURRENT_ASK_MAX_AGE,
        # The same bound a day wider, as a value: the planner opens the last days' chunks.
        PriceListing.observed_at > bindparam("asks_since", type_=DateTime(timezone=True)),
    ]


def sighting_bounds(now: datetime) -> dict[str, datetime]:
    return {
        "asks_since": now - CURRENT_ASK_MAX_AGE - timedelta(days=1),
        "sales_since": now - SOLD_MEDIAN_WINDOW - timedelta(days=1),
    }


def _recent_sales() -> list[ColumnElement[bool]]:
    return [
        *_counted_sales(),
        PriceListing.observed_at > func.now() - SOLD_MEDIAN_WINDOW,
        PriceListing.observed_at > bindparam("sales_since", type_=DateTime(timezone=True)),
    ]


def _sold_median_of(minifigure_id: Any, condition: Any) -> LateralFromClause:
    """The sold median of one (figure, condition) pair given as outer columns (LATERAL)."""
    return (
        select(_median(PriceListing.price_usd).label("median"))
        .where(
            PriceListing.minifigure_id == minifigure_id,
            PriceListing.condition == condition,
            *_recent_sales(),
        )
        .lateral("sold")
    )


def _pairs() -> Any:
    return (
        func.unnest(
            bindparam("ids", type_=ARRAY(UUID(as_uuid=True))),
            bindparam("conditions", type_=ARRAY(Text)),
        )
        .table_valued("id", "condition")
        .render_derived(name="k")
    )


async def sold_medians(
    session: AsyncSession, keys: Iterable[FigureKey], *, now: datetime
) -> dict[FigureKey, Decimal]:
    """The sold median of each (figure, condition) pair, as of `now`: one statement.

    Pairs without counted sales in the window are left out."""
    pairs = sorted(set(keys))
    if not pairs:
        return {}
    k = _pairs()
    sold = _sold_median_of(k.c.id, k.c.condition)
    query = select(k.c.id, k.c.condition, sold.c.median).select_from(k.join(sold, true()))
    rows = await session.execute(
        query.where(sold.c.median.is_not(None)),
        {"ids": [p[0] for p in pairs], "conditions": [p[1] for p in pairs], **sighting_bounds(now)},
    )
    return {(row[0], row[1]): row[2] for row in rows}


def latest_sightings(*conditions: ColumnElement[bool]) -> Select[Any]:
    """Current offered asks, each offer once, at its latest sighting."""
    p = PriceListing
    return (
        select(*[getattr(p, name) for name in ListingRow._fields], _listing_url().label("url"))
        .where(*_offered_asks(), *_current_ask_bounds(), *conditions)
        .ext(distinct_on(p.source, p.external_id))
        .order_by(p.source, p.external_id, p.observed_at.desc())
    )


async def deals_page(
    session: AsyncSession,
    deal_filter: DealFilter,
    *,
    after: tuple[Decimal, int] | None,
    limit: int,
    now: datetime,
) -> list[DealRow]:
    """Deals, biggest discount first (then newest listing id): one statement.

    Every page ranks all current asks, so the medians of all the pairs that have some
    are needed: one grouped pass over the window's sales costs far less than an index
    walk per pair (on a hypertable, one per chunk of the window for each pair)."""
    filters: list[ColumnElement[bool]] = []
    if deal_filter.condition is not None:
        filters.append(PriceListing.condition == deal_filter.condition.value)
    if deal_filter.themes is not None:
        themed = select(Minifigure.id).where(Minifigure.theme.in_(deal_filter.themes))
        filters.append(PriceListing.minifigure_id.in_(themed))
    asks = latest_sightings(*filters).cte("asks")
    pairs = select(asks.c.minifigure_id, asks.c.condition)
    sale = PriceListing
    medians = (
        select(sale.minifigure_id, sale.condition, _median(sale.price_usd).label("median"))
        .where(*_recent_sales(), tuple_(sale.minifigure_id, sale.condition).in_(pairs))
        .group_by(sale.minifigure_id, sale.condition)
        .having(_median(sale.price_usd) > 0)
        .cte("medians")
    )
    discount = ((medians.c.median - asks.c.price_usd) * 100 / medians.c.median).label("discount")
    minimum = literal(deal_filter.min_discount_pct, Numeric)
    query = (
        select(*[asks.c[name] for name in ListingRow._fields], asks.c.url, medians.c.median)
        .add_columns(discount)
        .select_from(
            asks.join(
                medians,
                and_(
                    medians.c.minifigure_id == asks.c.minifigure_id,
                    medians.c.condition == asks.c.condition,
                ),
            )
        )
        .where(asks.c.price_usd * 100 <= medians.c.median * (100 - minimum))
        .order_by(discount.desc(), asks.c.id.desc())
        .limit(fixed_limit(limit))
    )
    if after is not None:
        query = query.where(
            tuple_(discount, asks.c.id) < tuple_(literal(after[0], Numeric), literal(after[1]))
        )
    rows = await session.execute(query, sighting_bounds(now))
    width = len(ListingRow._fields)
    return [
        DealRow(ListingRow._make(row[:width]), row[width], row[width + 1], row[width + 2])
        for row in rows
    ]


async def deal_listings(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, tuple[ListingRow, str | None]]:
    """Listings by id with their offer's web page, when the source names one."""
    p = PriceListing
    columns = [getattr(p, name) for name in ListingRow._fields]
    result = await session.execute(select(*columns, _listing_url()).where(p.id.in_(ids)))
    return {row[1]: (ListingRow._make(row[:-1]), row[-1]) for row in result}


async def ask_spreads(
    session: AsyncSession, keys: Sequence[FigureKey], *, now: datetime
) -> dict[FigureKey, list[SourceAsks]]:
    """Per (figure, condition): current asks grouped by source, cheapest source first.

    One statement for every key of a page."""
    pairs = sorted(set(keys))
    if not pairs:
        return {}
    k = _pairs()
    latest = latest_sightings(
        PriceListing.minifigure_id == k.c.id, PriceListing.condition == k.c.condition
    ).lateral("latest")
    lowest = func.min(latest.c.price_usd)
    query = (
        select(
            k.c.id,
            k.c.condition,
            latest.c.source,
            func.count(),
            lowest,
            func.max(latest.c.price_usd),
        )
        .select_from(k.join(latest, true()))
        .group_by(k.c.id, k.c.condition, latest.c.source)
        .order_by(k.c.id, k.c.condition, lowest, latest.c.source)
    )
    found: dict[FigureKey, list[SourceAsks]] = defaultdict(list)
    rows = await session.execute(
        query,
        {"ids": [p[0] for p in pairs], "conditions": [p[1] for p in pairs], **sighting_bounds(now)},
    )
    for row in rows:
        found[(row[0], row[1])].append(SourceAsks._make(row[2:]))
    return found
