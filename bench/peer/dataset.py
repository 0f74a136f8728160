"""A collector-scale market: 5,000 minifigures, 5 million listings over 5 years, snapshots.

    uv run python -m bench.peer.dataset [--scale 0.01] [--database-url URL]

Drops and re-creates the bench database (default `stonks_bench` on the local server),
migrates it, loads the catalog and the listings with COPY (day by day, in time order,
so each TimescaleDB chunk is filled once), computes the daily snapshots in one
INSERT ... SELECT, materializes the daily-candle aggregate (as its refresh policy would
by the next morning), then ANALYZEs. Listings are kept raw and uncompressed for all five
years (no retention, no compression): the peer reads raw listings only, and both systems
must answer from the same rows. `--scale` shrinks the catalog and the ordinary
figures' volume for quick runs; the few "hot" figures keep their full volume, so
workload 5 (1,800 daily candles) exists at every scale.

Prices follow a per-figure base price, a slow trend and a seasonal swing, with noise;
2% of listings are outliers marked excluded, as the pipeline would mark them.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg

from server import migrations
from server.settings import Settings
from server.timescale import DAILY_CANDLES_VIEW, REFRESH_END_OFFSET

DEFAULT_URL = "postgresql://postgres:postgres@127.0.0.1:5432/stonks_bench"
YEARS = 5
FIGURES = 5_000
LISTINGS = 5_000_000
HOT_FIGURES = 20
# A hot figure sells in USED condition about 4.5 times a day: a candle on almost every day.
HOT_LISTINGS_PER_DAY = 9.0
SOURCES = ("bricklink", "ebay", "brickowl")
THEMES = (
    ("sw", "Star Wars"),
    ("hp", "Harry Potter"),
    ("col", "Collectible Minifigures"),
    ("njo", "Ninjago"),
    ("cty", "City"),
    ("sh", "Super Heroes"),
    ("cas", "Castle"),
    ("pi", "Pirates"),
)
LISTING_COLUMNS = (
    "minifigure_id", "source", "external_id", "observed_at", "kind", "condition", "quantity",
    "price_usd", "shipping_usd", "original_price", "original_currency", "fx_rate",
    "seller_name", "seller_country", "confidence", "excluded_reason",
)  # fmt: skip

SNAPSHOTS_SQL = """
INSERT INTO price_snapshots (
    minifigure_id, day, condition, min_usd, max_usd, mean_usd, median_usd, p25_usd, p75_usd,
    weighted_mean_usd, sold_count, ask_count, excluded_count, sold_quantity, sources_count)
SELECT minifigure_id, (observed_at AT TIME ZONE 'UTC')::date, condition,
    min(price_usd) FILTER (WHERE excluded_reason IS NULL),
    max(price_usd) FILTER (WHERE excluded_reason IS NULL),
    round(avg(price_usd) FILTER (WHERE excluded_reason IS NULL), 2),
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY price_usd)
          FILTER (WHERE excluded_reason IS NULL)::numeric, 2),
    round(percentile_cont(0.25) WITHIN GROUP (ORDER BY price_usd)
          FILTER (WHERE excluded_reason IS NULL)::numeric, 2),
    round(percentile_cont(0.75) WITHIN GROUP (ORDER BY price_usd)
          FILTER (WHERE excluded_reason IS NULL)::numeric, 2),
    round(sum(price_usd * quantity) FILTER (WHERE excluded_reason IS NULL)
          / nullif(sum(quantity) FILTER (WHERE excluded_reason IS NULL), 0), 2),
    count(*) FILTER (WHERE kind = 'SOLD' AND excluded_reason IS NULL),
    count(*) FILTER (WHERE kind = 'ASK' AND excluded_reason IS NULL),
    count(*) FILTER (WHERE excluded_reason IS NOT NULL),
    coalesce(sum(quantity) FILTER (WHERE kind = 'SOLD' AND excluded_reason IS NULL), 0),
    count(DISTINCT source)
FROM price_listings
GROUP BY 1, 2, 3
"""


class Market:
    """Deterministic figures and their price curves (seeded)."""

    def __init__(self, scale: float, seed: int) -> None:
        self.rng = random.Random(seed)
        self.figures = max(HOT_FIGURES, round(FIGURES * scale))
        self.hot = max(2, round(HOT_FIGURES * scale))
        self.days = YEARS * 365 + 1
        self.today = datetime.now(UTC).date()
        self.first_day = self.today - timedelta(days=self.days - 1)
        self.ids = [
            uuid.UUID(int=self.rng.getrandbits(128), version=4) for _ in range(self.figures)
        ]
        self.base = [math.exp(self.rng.uniform(math.log(3), math.log(250))) for _ in self.ids]
        self.trend = [self.rng.uniform(-0.15, 0.35) for _ in self.ids]
        self.phase = [self.rng.uniform(0, 2 * math.pi) for _ in self.ids]
        ordinary = max(0, round(LISTINGS * scale) - self.hot * HOT_LISTINGS_PER_DAY * self.days)
        ordinary_per_day = ordinary / self.days / max(1, self.figures - self.hot)
        self.weights = [HOT_LISTINGS_PER_DAY] * self.hot + [ordinary_per_day] * (
            self.figures - self.hot
        )
        self.per_day = sum(self.weights)

    def fig_num(self, index: int) -> str:
        prefix, _ = THEMES[index % len(THEMES)]
        return f"{prefix}{index // len(THEMES) + 1:04d}"

    def catalog_csv(self) -> bytes:
        lines = []
        for index, minifigure_id in enumerate(self.ids):
            _, theme = THEMES[index % len(THEMES)]
            year = 1999 + index % 26
            lines.append(
                f"{minifigure_id},{self.fig_num(index)},{theme} figure {index},{theme},{year},"
                f"{4 + index % 9}\n"
            )
        return "".join(lines).encode()

    def price(self, figure: int, day: int) -> float:
        years = day / 365
        swing = 1 + 0.12 * math.sin(years * 2 * math.pi + self.phase[figure])
        return self.base[figure] * (1 + self.trend[figure]) ** years * swing

    async def listing_chunks(self) -> AsyncIterator[bytes]:
        """CSV for COPY, one chunk per day, oldest day first."""
        rng = self.rng
        population = range(self.figures)
        cum_weights = []
        total = 0.0
        for weight in self.weights:
            total += weight
            cum_weights.append(total)
        serial = 0
        for day in range(self.days):
            midnight = datetime.combine(self.first_day + timedelta(days=day), datetime.min.time())
            count = max(0, round(rng.gauss(self.per_day, math.sqrt(self.per_day))))
            lines = []
            for figure in rng.choices(population, cum_weights=cum_weights, k=count):
                serial += 1
                at = midnight + timedelta(seconds=rng.randrange(86_400))
                sold = rng.random() < 0.6
                used = rng.random() < 0.55
                price = (
                    self.price(figure, day) * rng.lognormvariate(0, 0.08) * (1.0 if used else 1.6)
                )
                excluded = ""
                if rng.random() < 0.02:
                    price *= 6
                    excluded = "outlier"
                if not sold:
                    price *= 1.1
                amount = f"{price:.2f}"
                lines.append(
                    f"{self.ids[figure]},{SOURCES[serial % 3]},x{serial},{at.isoformat()}+00,"
                    f"{'SOLD' if sold else 'ASK'},{'USED' if used else 'NEW'},"
                    f"{1 + (serial % 17 == 0)},{amount},{serial % 5}.50,{amount},USD,1,"
                    f"seller{serial % 997},US,0.9,{excluded}\n"
                )
            yield "".join(lines).encode()
            if day % 100 == 0:
                # Let the COPY drain: the generator and the socket share one thread.
                await asyncio.sleep(0)


def _admin_url(url: str) -> tuple[str, str]:
    base, _, name = url.rpartition("/")
    return f"{base}/postgres", name


async def _recreate(url: str) -> None:
    admin_url, name = _admin_url(url)
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


async def _load(url: str, market: Market) -> dict[str, float]:
    timings: dict[str, float] = {}
    connection = await asyncpg.connect(url)
    try:
        started = time.perf_counter()
        await connection.copy_to_table(
            "minifigures",
            source=_once(market.catalog_csv()),
            columns=("id", "fig_num", "name", "theme", "year_released", "num_parts"),
            format="csv",
        )
        await connection.copy_to_table(
            "price_listings",
            source=market.listing_chunks(),
            columns=LISTING_COLUMNS,
            format="csv",
        )
        timings["copy listings (s)"] = time.perf_counter() - started
        started = time.perf_counter()
        await connection.execute("SET work_mem = '256MB'")
        await connection.execute(SNAPSHOTS_SQL)
        timings["snapshots (s)"] = time.perf_counter() - started
        started = time.perf_counter()
        await connection.execute(
            f"CALL refresh_continuous_aggregate('{DAILY_CANDLES_VIEW}', NULL, "
            f"now() - INTERVAL '{REFRESH_END_OFFSET}')"
        )
        timings["daily candles (s)"] = time.perf_counter() - started
        started = time.perf_counter()
        await connection.execute("VACUUM ANALYZE")
        timings["vacuum analyze (s)"] = time.perf_counter() - started
        for table in ("minifigures", "price_listings", "price_snapshots"):
            timings[f"{table} rows"] = await connection.fetchval(
                f"SELECT count(*) FROM {table}"  # noqa: S608 - fixed table names
            )
    finally:
        await connection.close()
    return timings


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 5,000 figures, 5M rows")
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    market = Market(args.scale, args.seed)
    started = time.perf_counter()
    asyncio.run(_recreate(args.database_url))
    # Everything stays raw: a 5-year retention horizon and compression would change what
    # the peer (raw listings only) reads, and the background jobs would skew the timings.
    keep_raw = Settings(
        _env_file=None, listings_retention_days=0, compress_listings_after_days=100 * 365
    )
    migrations.upgrade(args.database_url, settings=keep_raw)
    timings = asyncio.run(_load(args.database_url, market))
    timings["total (s)"] = time.perf_counter() - started
    for name, value in timings.items():
        print(f"{name:>24}: {value:,.1f}")


if __name__ == "__main__":
    main()
