"""Events that workers publish after committing, and API processes push to subscribers.

Transport: every event is appended to a bounded Redis Stream (the replay log) and then
published on a pub/sub channel (the live push), in one MULTI/EXEC. The stream entry id
(`<milliseconds>-<sequence>`) is the event id: monotonic and comparable, so a client
that reconnects with `since=<id>` gets exactly what it missed, in order, from the log.

A staged batch is published under its outbox id: a Lua script appends it to the log only
if that batch was not appended before (a marker key set in the same atomic step), so a
batch that a worker published just before dying is not published again by the relay;
the script pushes the batch's events live in that same step.

Both keys live under a namespace (default "stonks"), so tests and several deployments
can share one Redis.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, get_args

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from server import metrics

logger = logging.getLogger("server.events")

DEFAULT_NAMESPACE = "stonks"
# The replay log keeps about this many events (XADD MAXLEN ~): the resume window.
DEFAULT_LOG_LENGTH = 100_000
# How long a published batch's marker is kept: a batch left in the outbox longer than
# this (no worker ran the relay for two days) could be published a second time.
BATCH_MARKER_SECONDS = 2 * 24 * 3600

# KEYS: the log, the batch's marker. ARGV: log length, marker lifetime, channel, payloads.
# Returns the new ids, or an empty list when the batch was appended before. The live push
# goes out from the script too: one round trip for the batch, however large.
_APPEND_BATCH_ONCE = """
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then return {} end
local ids = {}
for i = 4, #ARGV do
  ids[#ids + 1] = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[i])
end
for n, id in ipairs(ids) do
  redis.call('PUBLISH', ARGV[3], id .. ' ' .. ARGV[n + 3])
end
return ids
"""


@dataclass(frozen=True, slots=True)
class PriceTick:
    """A price listing that was just stored."""

    listing_id: int
    minifigure_id: str
    fig_num: str
    theme: str | None
    source: str
    kind: str
    condition: str
    price_usd: Decimal
    quantity: int
    observed_at: datetime
    excluded_reason: str | None
    # For an offered ASK: its figure's sold median in that condition when it was stored
    # (server/store/deals.py), so every process and every replay judges a deal alike.
    sold_median_usd: Decimal | None = None
    type: Literal["price_tick"] = "price_tick"


@dataclass(frozen=True, slots=True)
class SnapshotUpdated:
    """A daily snapshot was recomputed."""

    minifigure_id: str
    day: date
    condition: str
    type: Literal["snapshot_updated"] = "snapshot_updated"


@dataclass(frozen=True, slots=True)
class SyncRunUpdated:
    """A sync run started, progressed or finished."""

    sync_run_id: int
    source: str
    status: str
    seen: int
    saved: int
    rejected: int
    error: str | None
    type: Literal["sync_run_updated"] = "sync_run_updated"


@dataclass(frozen=True, slots=True)
class AlertTriggered:
    """An alert rule fired (its event is stored); only its owner may receive it."""

    alert_event_id: int
    alert_id: str
    account_id: str
    minifigure_id: str
    source: str
    kind: str
    condition: str
    price_usd: Decimal
    observed_at: datetime
    reference_usd: Decimal | None
    change_pct: Decimal | None
    fired_at: datetime
    webhook_status: str | None
    type: Literal["alert_triggered"] = "alert_triggered"


Event = PriceTick | SnapshotUpdated | SyncRunUpdated | AlertTriggered


@dataclass(frozen=True, slots=True)
class Envelope:
    """An event with the id the log gave it."""

    id: str
    event: Event


class MalformedEventError(ValueError):
    """A payload on the channel or in the log is not an event of this version."""


def _encode_value(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


_FIELD_NAMES: dict[type, tuple[str, ...]] = {
    kind: tuple(f.name for f in fields(kind)) for kind in get_args(Event)
}
_ENCODER = json.JSONEncoder()


def encode(event: Event) -> str:
    # Field by field: dataclasses.asdict deep-copies, a measurable cost at ingest rates.
    return _ENCODER.encode(
        {name: _encode_value(getattr(event, name)) for name in _FIELD_NAMES[type(event)]}
    )


def decode(payload: str | bytes) -> Event:
    try:
        data: dict[str, Any] = json.loads(payload)
        kind = data.pop("type")
        if kind == "price_tick":
            data["price_usd"] = Decimal(data["price_usd"])
            data["observed_at"] = datetime.fromisoformat(data["observed_at"])
            if data.get("sold_median_usd") is not None:
                data["sold_median_usd"] = Decimal(data["sold_median_usd"])
            return PriceTick(**data)
        if kind == "snapshot_updated":
            data["day"] = date.fromisoformat(data["day"])
            return SnapshotUpdated(**data)
        if kind == "sync_run_updated":
            return SyncRunUpdated(**data)
        if kind == "alert_triggered":
            return _alert_triggered(data)
    except (ValueError, KeyError, TypeError) as error:
        raise MalformedEventError(str(error)) from error
    raise MalformedEventError(f"unknown event type {kind!r}")


def _alert_triggered(data: dict[str, Any]) -> AlertTriggered:
    for name in ("price_usd", "reference_usd", "change_pct"):
        if data[name] is not None:
            data[name] = Decimal(data[name])
    for name in ("observed_at", "fired_at"):
        data[name] = datetime.fromisoformat(data[name])
    return AlertTriggered(**data)


@dataclass(frozen=True, slots=True)
class EventBus:
    redis: Redis
    namespace: str = DEFAULT_NAMESPACE
    log_length: int = DEFAULT_LOG_LENGTH

    @property
    def channel(self) -> str:
        return f"{self.namespace}:events"

    @property
    def log_key(self) -> str:
        return f"{self.namespace}:events:log"

    async def publish(self, events: Sequence[Event]) -> list[str]:
        """Appends to the log and pushes live; call only after the data is committed.

        The pub/sub message is `<id> <json>`, so live receivers know the log position.
        Events of one call are appended and published in order.
        """
        return await self.publish_encoded([encode(event) for event in events])

    async def publish_encoded(self, payloads: Sequence[str]) -> list[str]:
        """`publish` for events already encoded."""
        if not payloads:
            return []
        async with self.redis.pipeline(transaction=True) as pipe:
            for payload in payloads:
                pipe.xadd(self.log_key, {"e": payload}, maxlen=self.log_length, approximate=True)
            ids = [_text(i) for i in await pipe.execute()]
        await self._ring(ids, payloads)
        return ids

    async def publish_batch_once(self, batch_id: int, payloads: Sequence[str]) -> list[str]:
        """Publishes a staged outbox batch unless it was published before; returns new ids.

        Delivery of a batch is at least once (a worker may die after publishing and before
        removing the batch from the outbox); this makes what subscribers see exactly once.
        """
        if not payloads:
            return []
        appended = await self.redis.eval(
            _APPEND_BATCH_ONCE,
            2,
            self.log_key,
            f"{self.namespace}:events:batch:{batch_id}",
            str(self.log_length),
            str(BATCH_MARKER_SECONDS),
            self.channel,
            *payloads,
        )  # type: ignore[misc]
        ids = [_text(i) for i in appended]
        metrics.EVENTS_PUBLISHED.inc(len(ids))
        return ids

    async def _ring(self, ids: Sequence[str], payloads: Sequence[str]) -> None:
        metrics.EVENTS_PUBLISHED.inc(len(ids))
        async with self.redis.pipeline(transaction=False) as pipe:
            for event_id, payload in zip(ids, payloads, strict=True):
                pipe.publish(self.channel, f"{event_id} {payload}")
            await pipe.execute()

    async def read_log(self, since: str, count: int = 1000) -> LogPage:
        """Events strictly after `since`, oldest first, at most `count` entries read.

        Entries this version cannot decode are skipped (and logged), so readers keep going
        past a bad entry: `last_id` is the last entry read, decodable or not, and the next
        page starts after it.
        """
        entries = await self.redis.xrange(self.log_key, min=f"({since}", count=count)
        envelopes: list[Envelope] = []
        for raw_id, entry in entries:
            entry_id = _text(raw_id)
            try:
                envelopes.append(Envelope(entry_id, decode(entry[b"e"])))
            except (MalformedEventError, KeyError) as error:
                logger.warning(
                    "skipping undecodable event %s in %s: %s", entry_id, self.log_key, error
                )
        last_id = _text(entries[-1][0]) if entries else None
        return LogPage(envelopes, last_id)

    async def latest_id(self) -> str | None:
        """The newest event in the log; None when the log is empty."""
        entries = await self.redis.xrevrange(self.log_key, count=1)
        return _text(entries[0][0]) if entries else None

    async def can_resume_from(self, since: str) -> bool:
        """Whether every event after `since` is still in the log (nothing was trimmed).

        True when `since` is at or after the oldest entry, or when the log's recorded
        `max-deleted-entry-id` is at or before `since` (Redis 7 records it for XDEL; trimming
        may leave it at 0-0). A log that is empty or was recreated (a Redis restart without
        persistence) cannot prove it, so: False.
        """
        try:
            info = await self.redis.xinfo_stream(self.log_key)
        except ResponseError:  # no such key: nothing can be replayed
            return False
        first = info.get("first-entry")
        if first is None:
            return False
        if event_id_key(since) >= event_id_key(_text(first[0])):
            return True
        max_deleted = info.get("max-deleted-entry-id")
        if max_deleted is None or _text(max_deleted) == "0-0":
            return False
        return event_id_key(_text(max_deleted)) <= event_id_key(since)


@dataclass(frozen=True, slots=True)
class LogPage:
    """A page of the log: the decodable events and the id of the last entry read."""

    envelopes: list[Envelope]
    last_id: str | None


_EVENT_ID = re.compile(r"^[0-9]{1,20}-[0-9]{1,20}$")


# Both parts of a stream id are unsigned 64-bit integers; Redis refuses anything larger.
_EVENT_ID_PART_MAX = 2**64 - 1


def is_event_id(text: str) -> bool:
    if not _EVENT_ID.match(text):
        return False
    return all(part <= _EVENT_ID_PART_MAX for part in event_id_key(text))


def event_id_key(event_id: str) -> tuple[int, int]:
    """Stream ids order by (milliseconds, sequence), not as strings."""
    milliseconds, _, sequence = event_id.partition("-")
    return int(milliseconds), int(sequence or 0)


def message_id(data: str | bytes) -> str:
    """The event id of a pub/sub message, without decoding its payload."""
    return _text(data).partition(" ")[0]


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value
