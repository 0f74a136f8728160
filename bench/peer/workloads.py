"""The benchmark's workloads: the same question asked of Stonks and of PostGraphile.

Each workload has one GraphQL document per system, the variables of its requests, a
function that reduces either system's answer to the same plain values (so the harness
can check that both answer alike), and the SQL-only floor: the same data fetched by
hand-written SQL over asyncpg, no GraphQL at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.peer.dataset import THEMES, Market

Canonical = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class Workload:
    number: int
    title: str
    stonks_query: str
    peer_query: str
    variables: list[dict[str, Any]]
    stonks_values: Canonical
    peer_values: Canonical
    floor_sql: list[str]
    floor_args: Callable[[dict[str, Any]], list[list[Any]]]
    connections: int = 16

    def bodies(self, system: str) -> list[str]:
        query = self.stonks_query if system == "stonks" else self.peer_query
        return [json.dumps({"query": query, "variables": v}) for v in self.variables]


def num(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def ts(value: str | None) -> str | None:
    if value is None:
        return None
    return datetime.fromisoformat(value).astimezone(UTC).isoformat()


LATEST_FIELDS = ("lastSale", "lowestAsk", "median")
CANDLE_FIELDS = ("open", "high", "low", "close", "median")
STATS_MONEY = ("low", "high", "median")


def _latest(latest: dict[str, Any]) -> tuple[Any, ...]:
    return (*(num(latest[f]) for f in LATEST_FIELDS), ts(latest.get("lastSeenAt")))


def _candles(candles: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (ts(c["start"]), *(num(c[f]) for f in CANDLE_FIELDS), int(c["volume"])) for c in candles
    ]


def _stats(stats: dict[str, Any]) -> tuple[Any, ...]:
    return (
        num(stats["changePct"]),
        num(stats["volatilityPct"]),
        *(num(stats[f]) for f in STATS_MONEY),
        int(stats["sampleSize"]),
        int(stats["volume"]),
    )


# Workload 1: point lookup with the latest price.
W1_STONKS = """query($fig: String!) { minifigure(figNum: $fig) {
  figNum name latestPrice { lastSale lowestAsk median lastSeenAt } } }"""
W1_PEER = """query($fig: String!) { minifigureByFigNum(figNum: $fig) {
  figNum name latestPrice { lastSale lowestAsk median lastSeenAt } } }"""

# Workload 2: a catalog page of 50 figures with the latest price and the 7-day change.
W2_STONKS = """query($theme: String!) {
  minifigures(first: 50, filter: {themes: [$theme]}, orderBy: {field: FIG_NUM}) {
    edges { node { figNum name latestPrice { lastSale lowestAsk median }
      stats(window: D7) { changePct } } } } }"""
W2_PEER = """query($theme: String!) {
  allMinifigures(first: 50, condition: {theme: $theme}, orderBy: FIG_NUM_ASC) {
    edges { node { figNum name latestPrice { lastSale lowestAsk median }
      stats(windowDays: 7) { changePct } } } } }"""

# Workload 3: a detail page: a year of daily candles, 30-day stats, 20 listings.
W3_STONKS = """query($fig: String!, $from: DateTime!, $to: DateTime!) {
  minifigure(figNum: $fig) { figNum name theme yearReleased
    priceHistory(from: $from, to: $to, interval: DAY) {
      start open high low close median volume }
    stats(window: D30) { changePct volatilityPct low high median sampleSize volume }
    listings(first: 20) { edges { node { price observedAt source } } } } }"""
W3_PEER = """query($fig: String!, $from: Datetime!, $to: Datetime!) {
  minifigureByFigNum(figNum: $fig) { figNum name theme yearReleased
    candles(startAt: $from, endAt: $to) { nodes {
      start open high low close median volume } }
    stats(windowDays: 30) { changePct volatilityPct low high median sampleSize volume }
    priceListingsByMinifigureId(first: 20, orderBy: [OBSERVED_AT_DESC, PRIMARY_KEY_DESC],
        condition: {excludedReason: null}) {
      nodes { priceUsd observedAt source } } } }"""

# Workload 4: nested: 20 figures x 90 snapshots x 10 listings.
W4_STONKS = """query($theme: String!) {
  minifigures(first: 20, filter: {themes: [$theme]}, orderBy: {field: FIG_NUM}) {
    edges { node { figNum
      snapshots(first: 90) { edges { node { day median } } }
      listings(first: 10) { edges { node { price observedAt } } } } } } }"""
W4_PEER = """query($theme: String!) {
  allMinifigures(first: 20, condition: {theme: $theme}, orderBy: FIG_NUM_ASC) {
    nodes { figNum
      priceSnapshotsByMinifigureId(first: 90, orderBy: [DAY_DESC, CONDITION_DESC]) {
        nodes { day medianUsd } }
      priceListingsByMinifigureId(first: 10, orderBy: [OBSERVED_AT_DESC, PRIMARY_KEY_DESC],
          condition: {excludedReason: null}) {
        nodes { priceUsd observedAt } } } } }"""

# Workload 5: five years of daily candles, one request at a time.
W5_STONKS = """query($fig: String!, $from: DateTime!, $to: DateTime!) {
  minifigure(figNum: $fig) { priceHistory(from: $from, to: $to, interval: DAY) {
    start open high low close median volume } } }"""
W5_PEER = """query($fig: String!, $from: Datetime!, $to: Datetime!) {
  minifigureByFigNum(figNum: $fig) { candles(startAt: $from, endAt: $to) { nodes {
    start open high low close median volume } } } }"""


def _w1_stonks(data: dict[str, Any]) -> Any:
    m = data["minifigure"]
    return (m["figNum"], m["name"], _latest(m["latestPrice"]))


def _w1_peer(data: dict[str, Any]) -> Any:
    m = data["minifigureByFigNum"]
    return (m["figNum"], m["name"], _latest(m["latestPrice"]))


def _w2_stonks(data: dict[str, Any]) -> Any:
    return [
        (n["figNum"], n["name"], _latest(n["latestPrice"] | {"lastSeenAt": None}),
         num(n["stats"]["changePct"]))
        for n in (e["node"] for e in data["minifigures"]["edges"])
    ]  # fmt: skip


def _w2_peer(data: dict[str, Any]) -> Any:
    return [
        (n["figNum"], n["name"], _latest(n["latestPrice"] | {"lastSeenAt": None}),
         num(n["stats"]["changePct"]))
        for n in (e["node"] for e in data["allMinifigures"]["edges"])
    ]  # fmt: skip


def _w3_stonks(data: dict[str, Any]) -> Any:
    m = data["minifigure"]
    listings = [
        (num(n["price"]), ts(n["observedAt"]), n["source"])
        for n in (e["node"] for e in m["listings"]["edges"])
    ]
    return (m["figNum"], m["theme"], _candles(m["priceHistory"]), _stats(m["stats"]), listings)


def _w3_peer(data: dict[str, Any]) -> Any:
    m = data["minifigureByFigNum"]
    listings = [
        (num(n["priceUsd"]), ts(n["observedAt"]), n["source"])
        for n in m["priceListingsByMinifigureId"]["nodes"]
    ]
    return (m["figNum"], m["theme"], _candles(m["candles"]["nodes"]), _stats(m["stats"]), listings)


def _w4_stonks(data: dict[str, Any]) -> Any:
    return [
        (
            n["figNum"],
            [(s["node"]["day"], num(s["node"]["median"])) for s in n["snapshots"]["edges"]],
            [
                (num(x["node"]["price"]), ts(x["node"]["observedAt"]))
                for x in n["listings"]["edges"]
            ],
        )
        for n in (e["node"] for e in data["minifigures"]["edges"])
    ]


def _w4_peer(data: dict[str, Any]) -> Any:
    return [
        (
            n["figNum"],
            [(s["day"], num(s["medianUsd"])) for s in n["priceSnapshotsByMinifigureId"]["nodes"]],
            [
                (num(x["priceUsd"]), ts(x["observedAt"]))
                for x in n["priceListingsByMinifigureId"]["nodes"]
            ],
        )
        for n in data["allMinifigures"]["nodes"]
    ]


def _w5_stonks(data: dict[str, Any]) -> Any:
    return _candles(data["minifigure"]["priceHistory"])


def _w5_peer(data: dict[str, Any]) -> Any:
    return _candles(data["minifigureByFigNum"]["candles"]["nodes"])


FLOOR_W1 = """SELECT m.fig_num, m.name, lp.last_sale, lp.lowest_ask, lp.median, lp.last_seen_at
FROM minifigures m, LATERAL minifigures_latest_price(m) lp WHERE m.fig_num = $1"""
FLOOR_W2 = """SELECT m.fig_num, m.name, lp.last_sale, lp.lowest_ask, lp.median, st.change_pct
FROM (SELECT * FROM minifigures WHERE theme = $1 ORDER BY fig_num LIMIT 50) m,
     LATERAL minifigures_latest_price(m) lp, LATERAL minifigures_stats(m, 7) st
ORDER BY m.fig_num"""
FLOOR_W3 = [
    """SELECT c.* FROM minifigures m, LATERAL minifigures_candles(m, $2, $3) c
       WHERE m.fig_num = $1""",
    """SELECT s.* FROM minifigures m, LATERAL minifigures_stats(m, 30) s WHERE m.fig_num = $1""",
    """SELECT l.price_usd, l.observed_at, l.source FROM minifigures m,
       LATERAL (SELECT * FROM price_listings WHERE minifigure_id = m.id
                AND excluded_reason IS NULL ORDER BY observed_at DESC, id DESC LIMIT 20) l
       WHERE m.fig_num = $1""",
]
FLOOR_W4 = """SELECT m.fig_num,
  (SELECT json_agg(s) FROM (SELECT day, median_usd FROM price_snapshots
     WHERE minifigure_id = m.id ORDER BY day DESC, condition DESC LIMIT 90) s),
  (SELECT json_agg(l) FROM (SELECT price_usd, observed_at FROM price_listings
     WHERE minifigure_id = m.id AND excluded_reason IS NULL
     ORDER BY observed_at DESC, id DESC LIMIT 10) l)
FROM (SELECT * FROM minifigures WHERE theme = $1 ORDER BY fig_num LIMIT 20) m
ORDER BY m.fig_num"""
FLOOR_W5 = """SELECT c.* FROM minifigures m, LATERAL minifigures_candles(m, $2, $3) c
WHERE m.fig_num = $1"""


def workloads(market: Market, *, figures: int = 200) -> list[Workload]:
    """The workloads over this market, with their request variables."""
    end = datetime.combine(market.today + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    year_ago, five_years = end - timedelta(days=365), end - timedelta(days=1800)
    step = max(1, market.figures // figures)
    ordinary = [market.fig_num(i) for i in range(market.hot, market.figures, step)]
    hot = [market.fig_num(i) for i in range(market.hot)]
    themes = [{"theme": theme} for _, theme in THEMES]

    def fig_args(v: dict[str, Any]) -> list[list[Any]]:
        return [[v["fig"]]]

    def range_args(v: dict[str, Any]) -> list[list[Any]]:
        span = [v["fig"], datetime.fromisoformat(v["from"]), datetime.fromisoformat(v["to"])]
        return [span, [v["fig"]], [v["fig"]]]

    def theme_args(v: dict[str, Any]) -> list[list[Any]]:
        return [[v["theme"]]]

    def ranged(figs: list[str], start: datetime) -> list[dict[str, Any]]:
        return [{"fig": f, "from": start.isoformat(), "to": end.isoformat()} for f in figs]

    return [
        Workload(1, "point lookup with latest price", W1_STONKS, W1_PEER,
                 [{"fig": f} for f in ordinary], _w1_stonks, _w1_peer, [FLOOR_W1], fig_args),
        Workload(2, "catalog page: 50 figures, latest price, 7-day change", W2_STONKS, W2_PEER,
                 themes, _w2_stonks, _w2_peer, [FLOOR_W2], theme_args),
        Workload(3, "detail page: a year of daily candles, 30-day stats, 20 listings",
                 W3_STONKS, W3_PEER, ranged(hot, year_ago), _w3_stonks, _w3_peer, FLOOR_W3,
                 range_args),
        Workload(4, "nested: 20 figures x 90 snapshots x 10 listings", W4_STONKS, W4_PEER,
                 themes, _w4_stonks, _w4_peer, [FLOOR_W4], theme_args),
        Workload(5, "five years of daily candles, one request alone", W5_STONKS, W5_PEER,
                 ranged(hot, five_years), _w5_stonks, _w5_peer, [FLOOR_W5],
                 lambda v: range_args(v)[:1], connections=1),
    ]  # fmt: skip
