"""One batch into the store, in the caller's transaction: nothing half-stored.

validate -> dedupe -> resolve fig numbers -> convert currency -> classify -> insert.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.events import PriceTick
from server.models import Minifigure
from server.store.catalog import minifigures_by_fig_nums
from server.store.deals import FigureKey, is_offered, sold_medians
from server.store.listings import NewListing, StoredListing, insert_known_listings
from workers.pipeline.classify import OUTLIER, OutlierTest, title_exclusion
from workers.pipeline.match import match
from workers.pipeline.normalize import (
    fig_num_of,
    normalized,
    observation_day,
    rates_for,
    utc_day,
)
from workers.pipeline.observation import Observation, Rejection
from workers.pipeline.validate import rejection_reason

# Outliers are judged against the recent past of the same minifigure and condition.
OUTLIER_WINDOW = timedelta(days=30)


@dataclass(slots=True)
class BatchOutcome:
    seen: int
    rejections: list[Rejection] = field(default_factory=list)
    ticks: list[PriceTick] = field(default_factory=list)
    # Every (minifigure, day) the batch covers, stored now or before: re-running a batch
    # after a crash must still recompute the snapshots the first attempt never reached.
    days: set[tuple[uuid.UUID, date]] = field(default_factory=set)

    @property
    def saved(self) -> int:
        return len(self.ticks)

    @property
    def rejected(self) -> int:
        return len(self.rejections)


def deduplicated(observations: Sequence[Observation]) -> list[Observation]:
    """One observation per store key; among clashing ones the choice is order-independent."""
    chosen: dict[tuple[str, str, datetime], Observation] = {}
    for observation in observations:
        current = chosen.get(observation.key)
        if current is None or _rank(observation) < _rank(current):
            chosen[observation.key] = observation
    return sorted(chosen.values(), key=lambda o: (o.observed_at, o.source, o.external_id))


def _rank(observation: Observation) -> tuple[Decimal, int, str]:
    return (observation.price, observation.quantity, observation.currency)


_RECENT_PRICES = text(
    """
    SELECT minifigure_id, condition, kind, price_usd
    FROM price_listings
    WHERE minifigure_id = ANY(CAST(:ids AS uuid[]))
      AND observed_at >= :since AND observed_at <= :until
      AND excluded_reason IS NULL
    """
)


# Sold and asking prices sit at different levels, as do new and used: each is its own sample.
PeerGroup = tuple[uuid.UUID, str, str]


async def _recent_prices(
    session: AsyncSession, ids: set[uuid.UUID], since: datetime, until: datetime
) -> dict[PeerGroup, list[Decimal]]:
    prices: dict[PeerGroup, list[Decimal]] = defaultdict(list)
    result = await session.execute(
        _RECENT_PRICES, {"ids": list(ids), "since": since, "until": until}
    )
    for minifigure_id, condition, kind, price in result:
        prices[(minifigure_id, condition, kind)].append(price)
    return prices


@dataclass(slots=True)
class PreparedBatch:
    """A batch validated, deduplicated, resolved, converted and classified, not yet stored.

    Classified as a whole, so a listing's verdict does not depend on how the batch is
    chunked for storing (progress reports) or on the order it came in.
    """

    # The moment the batch was judged at; the sold medians of its asks are taken as of it too.
    now: datetime
    # The listing to store for each store key.
    listings: dict[tuple[str, str, datetime], NewListing] = field(default_factory=dict)
    # By observation identity: a rejected duplicate of a stored key is still a rejection.
    rejections: dict[int, Rejection] = field(default_factory=dict)
    figures: dict[uuid.UUID, Minifigure] = field(default_factory=dict)


async def prepare_batch(
    session: AsyncSession, observations: Sequence[Observation], *, now: datetime
) -> PreparedBatch:
    """Everything before the insert, in a fixed number of statements whatever the size."""
    prepared = PreparedBatch(now=now)
    valid: list[Observation] = []
    for observation in observations:
        reason = rejection_reason(observation, now)
        if reason is None:
            valid.append(observation)
        else:
            prepared.rejections[id(observation)] = Rejection(observation, reason)
    unique = deduplicated(valid)

    catalog = {
        figure.fig_num: figure
        for figure in await minifigures_by_fig_nums(
            session, sorted({fig_num_of(o) for o in unique})
        )
    }
    rates = await rates_for(session, ((o.currency, observation_day(o)) for o in unique))
    ready: list[tuple[Observation, Minifigure, Decimal]] = []
    for observation in unique:
        figure = catalog.get(fig_num_of(observation))
        rate = rates.get((observation.currency, observation_day(observation)))
        if figure is None:
            prepared.rejections[id(observation)] = Rejection(observation, "unknown_minifigure")
        elif rate is None:
            prepared.rejections[id(observation)] = Rejection(observation, "unknown_currency")
        else:
            ready.append((observation, figure, rate))
    if ready:
        listings = await _classified(session, ready)
        prepared.listings = {listing.key: listing for listing in listings}
        prepared.figures = {figure.id: figure for _, figure, _ in ready}
    return prepared


async def store_prepared(
    session: AsyncSession, prepared: PreparedBatch, observations: Sequence[Observation]
) -> BatchOutcome:
    """Stores the prepared listings of these observations (all of a store key's
    observations must be among them) and reports on them."""
    outcome = BatchOutcome(seen=len(observations))
    keys = set()
    for observation in observations:
        rejection = prepared.rejections.get(id(observation))
        if rejection is not None:
            outcome.rejections.append(rejection)
        keys.add(observation.key)
    listings = sorted(
        (prepared.listings[key] for key in keys if key in prepared.listings),
        key=lambda lst: (lst.observed_at, lst.source, lst.external_id),
    )
    if not listings:
        return outcome
    stored = await insert_known_listings(session, listings)
    outcome.days = {(lst.minifigure_id, utc_day(lst.observed_at)) for lst in listings}
    inserted = {(row.source, row.external_id, row.observed_at) for row in stored}
    medians = await sold_medians(
        session,
        {
            (lst.minifigure_id, lst.condition.value)
            for lst in listings
            if is_offered(lst.kind.value, lst.excluded_reason)
            and (lst.source, lst.external_id, lst.observed_at) in inserted
        },
        now=prepared.now,
    )
    outcome.ticks = _ticks(stored, listings, prepared.figures, medians)
    return outcome


async def persist_batch(
    session: AsyncSession, observations: Sequence[Observation], *, now: datetime
) -> BatchOutcome:
    """The whole batch at once: prepared, then stored."""
    prepared = await prepare_batch(session, observations, now=now)
    return await store_prepared(session, prepared, observations)


def _ticks(
    stored: Sequence[StoredListing],
    listings: Sequence[NewListing],
    figures: dict[uuid.UUID, Minifigure],
    sold_medians: dict[FigureKey, Decimal],
) -> list[PriceTick]:
    """One event per row actually inserted (a re-ingested listing is not news); an offered
    ask carries the sold median it is a deal against (or not)."""
    by_key = {listing.key: listing for listing in listings}
    ticks = []
    for row in stored:
        listing = by_key[(row.source, row.external_id, row.observed_at)]
        figure = figures[listing.minifigure_id]
        ticks.append(
            PriceTick(
                listing_id=row.id,
                minifigure_id=str(figure.id),
                fig_num=figure.fig_num,
                theme=figure.theme,
                source=listing.source,
                kind=listing.kind.value,
                condition=listing.condition.value,
                price_usd=listing.price_usd,
                quantity=listing.quantity,
                observed_at=listing.observed_at,
                excluded_reason=listing.excluded_reason,
                sold_median_usd=sold_medians.get((listing.minifigure_id, listing.condition.value))
                if is_offered(listing.kind.value, listing.excluded_reason)
                else None,
            )
        )
    return ticks


async def _classified(
    session: AsyncSession, ready: Sequence[tuple[Observation, Minifigure, Decimal]]
) -> list[NewListing]:
    """Title rules first; then outliers against recent stored prices plus this batch."""
    matches = [
        match(o.title, figure.fig_num, figure.name, title_exclusion(o.title, figure.name))
        for o, figure, _ in ready
    ]
    since = min(o.observed_at for o, _, _ in ready) - OUTLIER_WINDOW
    until = max(o.observed_at for o, _, _ in ready)
    reference = await _recent_prices(session, {figure.id for _, figure, _ in ready}, since, until)
    drafts = [
        normalized(
            observation,
            minifigure_id=figure.id,
            rate=rate,
            excluded_reason=matched.excluded_reason,
            confidence=matched.confidence,
        )
        for (observation, figure, rate), matched in zip(ready, matches, strict=True)
    ]
    for draft in drafts:
        if draft.excluded_reason is None:
            reference[_peers(draft)].append(draft.price_usd)
    tests = {key: OutlierTest(prices) for key, prices in reference.items()}
    listings: list[NewListing] = []
    for draft in drafts:
        test = tests.get(_peers(draft))
        if draft.excluded_reason is None and test is not None and test.is_outlier(draft.price_usd):
            draft = replace(draft, excluded_reason=OUTLIER)
        listings.append(draft)
    return listings


def _peers(listing: NewListing) -> PeerGroup:
    return (listing.minifigure_id, listing.condition.value, listing.kind.value)
