"""Prometheus metrics of the API and the worker, and their text exposition.

The metric objects live here, module-level as prometheus-client intends; the places that
count import them. Several processes on one machine (`stonks up`, `serve --workers N`)
share one exposition through prometheus-client's multiprocess mode: with
PROMETHEUS_MULTIPROC_DIR set before start, every process writes its values there and
`/metrics` adds them up (gauges by the mode given below).
"""

from __future__ import annotations

import os
import time
import weakref

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.registry import REGISTRY
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool

CONTENT_TYPE = CONTENT_TYPE_LATEST
# Operation names come from clients: past this many distinct ones, the rest share a label
# (each label value is a time series kept forever).
MAX_OPERATION_NAMES = 200
MAX_OPERATION_NAME_LENGTH = 64
OTHER_OPERATION = "(other)"
ANONYMOUS_OPERATION = "(anonymous)"

REQUESTS = Counter("stonks_graphql_requests", "GraphQL operations executed.", ["operation", "type"])
REQUEST_SECONDS = Histogram(
    "stonks_graphql_request_seconds", "Time to execute a GraphQL operation.", ["operation"]
)
ERRORS = Counter("stonks_graphql_errors", "GraphQL errors returned, by code.", ["code"])
SUBSCRIPTIONS = Gauge(
    "stonks_live_subscriptions", "Active live subscriptions.", multiprocess_mode="livesum"
)
EVENTS_PUBLISHED = Counter("stonks_events_published", "Events appended to the event log.")
EVENTS_DELIVERED = Counter(
    "stonks_events_delivered", "Events taken by a live subscriber's connection to send."
)
EVENTS_DROPPED = Counter(
    "stonks_events_dropped", "Subscribers dropped for falling too far behind (slow consumers)."
)
HUB_LAG_SECONDS = Gauge(
    "stonks_live_hub_lag_seconds",
    "Age of the last event the live hub dispatched, when it dispatched it.",
    multiprocess_mode="max",
)
JOB_RUNS = Counter("stonks_job_runs", "Worker job runs.", ["function", "outcome"])
JOB_SECONDS = Histogram(
    "stonks_job_seconds",
    "Worker job durations.",
    ["function", "outcome"],
    buckets=(0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800),
)
SOURCE_QUOTA_USED = Gauge(
    "stonks_source_quota_used",
    "Requests spent today against a source's daily quota.",
    ["source"],
    multiprocess_mode="max",
)
SOURCE_BREAKER_OPEN = Gauge(
    "stonks_source_breaker_open",
    "1 while a source's circuit breaker is open.",
    ["source"],
    multiprocess_mode="max",
)
DB_POOL = Gauge(
    "stonks_db_pool_connections",
    "Database connections of the API's pool, by state.",
    ["state"],
    multiprocess_mode="livesum",
)

_operation_names: set[str] = set()


def operation_label(name: str | None) -> str:
    """The label of an operation name, bounded in length and number."""
    if not name:
        return ANONYMOUS_OPERATION
    name = name[:MAX_OPERATION_NAME_LENGTH]
    if name in _operation_names:
        return name
    if len(_operation_names) >= MAX_OPERATION_NAMES:
        return OTHER_OPERATION
    _operation_names.add(name)
    return name


def observe_dispatch(event_id: str) -> None:
    """The live hub handed one event to its subscribers."""
    # Event ids are Redis stream ids: milliseconds since the epoch, then a sequence.
    published_ms = int(event_id.partition("-")[0])
    HUB_LAG_SECONDS.set(max(0.0, time.time() - published_ms / 1000))


class _CheckedOut:
    """The connections checked out of the watched pools, as the gauge's value.

    Counted by connection record, not by event: the pool also reports a checkin for a
    record it never checked out (a reconnect that failed, e.g. while the database is
    down), which a bare inc/dec turned into a negative count."""

    def __init__(self) -> None:
        # Weak: a record dropped with its pool (engine disposed) stops counting.
        self.records: weakref.WeakSet[object] = weakref.WeakSet()
        self.gauge = DB_POOL.labels("checked_out")

    def checkout(self, _connection: object, record: object, _proxy: object) -> None:
        self.records.add(record)
        self.gauge.set(len(self.records))

    def checkin(self, _connection: object, record: object) -> None:
        self.records.discard(record)
        self.gauge.set(len(self.records))


_checked_out = _CheckedOut()


def watch_pool(engine: AsyncEngine) -> None:
    """Keeps the pool gauges current from the pool's own checkout and checkin events."""
    pool = engine.sync_engine.pool
    if isinstance(pool, QueuePool):
        DB_POOL.labels("size").set(pool.size())
    event.listen(engine.sync_engine, "checkout", _checked_out.checkout)
    event.listen(engine.sync_engine, "checkin", _checked_out.checkin)
    # A detached connection is never checked in: it leaves the pool here.
    event.listen(engine.sync_engine, "detach", _checked_out.checkin)


def registry() -> CollectorRegistry:
    """This process's metrics, or every process's in multiprocess mode."""
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return REGISTRY
    summed = CollectorRegistry()
    multiprocess.MultiProcessCollector(summed)  # type: ignore[no-untyped-call]
    return summed


def exposition() -> bytes:
    """Every metric in the text format."""
    return generate_latest(registry())
