"""The demo market: plausible prices for a catalog of real minifigures, no credentials needed.

Each figure follows its own mean-reverting random walk (deterministic per fig number,
so a backfill run twice yields the same listings), with a new/used spread, asks above
sold prices, a few currencies, and now and then a lot or a fat-fingered outlier for
the classifier to catch.
"""

from __future__ import annotations

import csv
import functools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from server.models import Condition, ListingKind
from server.store.catalog import CatalogEntry
from workers.pipeline.observation import Observation

SOURCE = "demo"
CATALOG_CSV = Path(__file__).resolve().parent.parent / "data" / "demo_catalog.csv"

_EPOCH = date(2020, 1, 1)
_WALK_DAYS = 366 * 12
_DAILY_VOLATILITY = 0.025
# Pulls each walk back towards its base price: prices wander but stay plausible.
_MEAN_REVERSION = 0.985
_NEW_PREMIUM = 1.7
_ASK_PREMIUM = 1.15
_LOT_CHANCE = 0.02
_OUTLIER_CHANCE = 0.01
# Roughly what a seller in each currency would ask for one USD.
_CURRENCIES: tuple[tuple[str, float, float], ...] = (
    ("USD", 1.0, 0.7),
    ("EUR", 0.92, 0.2),
    ("GBP", 0.79, 0.1),
)


@dataclass(frozen=True, slots=True)
class DemoFigure:
    entry: CatalogEntry
    base_price_usd: float


def demo_catalog(path: Path = CATALOG_CSV) -> list[DemoFigure]:
    with path.open(newline="", encoding="utf-8") as file:
        return [
            DemoFigure(
                CatalogEntry(
                    fig_num=row["fig_num"],
                    name=row["name"],
                    theme=row["theme"],
                    year_released=int(row["year_released"]),
                    num_parts=int(row["num_parts"]),
                    metadata={"demo": True},
                ),
                float(row["base_price_usd"]),
            )
            for row in csv.DictReader(file)
        ]


@functools.cache
def _walk(fig_num: str) -> tuple[float, ...]:
    """Log-price offsets from the base price, one per day since the epoch."""
    rng = random.Random(f"walk:{fig_num}")
    offsets = [0.0]
    for _ in range(_WALK_DAYS):
        offsets.append(offsets[-1] * _MEAN_REVERSION + rng.gauss(0, _DAILY_VOLATILITY))
    return tuple(offsets)


def price_level(figure: DemoFigure, day: date) -> float:
    """The figure's used-condition sold price level on `day`, in USD."""
    walk = _walk(figure.entry.fig_num)
    index = min(max((day - _EPOCH).days, 0), len(walk) - 1)
    return figure.base_price_usd * math.exp(walk[index])


def _observation(
    figure: DemoFigure, rng: random.Random, at: datetime, external_id: str, kind: ListingKind
) -> Observation:
    condition = Condition.NEW if rng.random() < 0.35 else Condition.USED
    usd = price_level(figure, at.date()) * rng.lognormvariate(0, 0.08)
    if condition is Condition.NEW:
        usd *= _NEW_PREMIUM
    if kind is ListingKind.ASK:
        usd *= _ASK_PREMIUM
    title = f"LEGO {figure.entry.name} {figure.entry.fig_num} minifigure"
    roll = rng.random()
    if roll < _LOT_CHANCE:
        usd *= 5
        title = f"Lot of 6 LEGO {figure.entry.theme} minifigures incl. {figure.entry.name}"
    elif roll < _LOT_CHANCE + _OUTLIER_CHANCE:
        usd *= rng.choice((0.15, 5.0))
    currency, per_usd, _ = rng.choices(_CURRENCIES, weights=[c[2] for c in _CURRENCIES])[0]
    price = Decimal(str(round(max(usd * per_usd, 0.05), 2)))
    return Observation(
        source=SOURCE,
        external_id=external_id,
        fig_num=figure.entry.fig_num,
        observed_at=at,
        kind=kind.value,
        condition=condition.value,
        price=price,
        currency=currency,
        quantity=1 if kind is ListingKind.ASK else rng.choice((1, 1, 1, 2)),
        seller_country=rng.choice(("US", "DE", "GB", "NL", "CA")),
        title=title,
    )


def day_observations(figure: DemoFigure, day: date) -> list[Observation]:
    """A day of trading for one figure; the same day always gives the same listings."""
    rng = random.Random(f"day:{figure.entry.fig_num}:{day.isoformat()}")
    midnight = datetime.combine(day, time(), tzinfo=UTC)
    observations = []
    for index in range(rng.randint(0, 3) + rng.randint(1, 3)):
        kind = ListingKind.SOLD if index % 2 == 0 else ListingKind.ASK
        at = midnight + timedelta(seconds=rng.randrange(86_400))
        external_id = f"{figure.entry.fig_num}-{day:%Y%m%d}-{index}"
        observations.append(_observation(figure, rng, at, external_id, kind))
    return observations


def backfill(figures: Sequence[DemoFigure], first_day: date, last_day: date) -> list[Observation]:
    observations = []
    day = first_day
    while day <= last_day:
        for figure in figures:
            observations.extend(day_observations(figure, day))
        day += timedelta(days=1)
    return observations


def tick(figures: Sequence[DemoFigure], now: datetime, rng: random.Random) -> list[Observation]:
    """A handful of fresh sales and asks at `now`, on randomly chosen figures."""
    chosen = rng.sample(list(figures), k=min(len(figures), rng.randint(2, 6)))
    return [
        _observation(
            figure,
            rng,
            now,
            f"{figure.entry.fig_num}-{now:%Y%m%dT%H%M%S%f}-{index}",
            rng.choice((ListingKind.SOLD, ListingKind.ASK)),
        )
        for index, figure in enumerate(chosen)
    ]


class DemoSource:
    """The demo market as a price source: a fresh tick for one figure on request."""

    def __init__(self, figures: Sequence[DemoFigure], rng: random.Random | None = None) -> None:
        self.figures = {figure.entry.fig_num: figure for figure in figures}
        self.rng = rng or random.Random()

    async def fetch(self, fig_num: str, *, now: datetime) -> list[Observation]:
        figure = self.figures.get(fig_num)
        if figure is None:
            return []
        return tick([figure], now, self.rng)
