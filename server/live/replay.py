"""Resuming a subscription with `since`: checking the id, then reading what was missed.

A subscriber joins its shared operation first, so every event after the hub's position at
that moment reaches it live, while the log is replayed up to that position (see
`server.graphql.live_delivery`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from server.events import Envelope, event_id_key
from server.live.filters import Criteria
from server.live.hub import LiveHub, minifigure_ids

_REPLAY_PAGE = 500


class ResumeError(Exception):
    """`since` cannot be honoured; `code` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


async def check_not_ahead_of_log(hub: LiveHub, since: str) -> None:
    """A `since` after the newest event was never issued here (or the log was recreated).

    Accepting it would silently skip every event up to that id, so it is refused.
    """
    if event_id_key(since) <= event_id_key(hub.last_id):
        return  # this process has already seen that far: no need to ask Redis
    try:
        newest = await hub.bus.latest_id()
    except (RedisConnectionError, RedisTimeoutError, OSError) as error:
        raise _log_unavailable() from error
    if newest is None or event_id_key(since) > event_id_key(newest):
        raise ResumeError(
            "EVENT_ID_AHEAD_OF_LOG",
            f"{since} is after the newest event in the log ({newest or 'none'}): "
            "pass an id you received, or subscribe without `since`",
        )


def _log_unavailable() -> ResumeError:
    return ResumeError(
        "EVENT_LOG_UNAVAILABLE", "the replay log cannot be read right now; retry shortly"
    )


async def replay(
    hub: LiveHub, accepts: Criteria, since: str, *, until: str
) -> AsyncIterator[Envelope]:
    """The events after `since` up to `until` (included) that `accepts` wants, in log order."""
    end = event_id_key(until)
    if event_id_key(since) >= end:
        return
    try:
        if not await hub.bus.can_resume_from(since):
            raise ResumeError(
                "EVENT_ID_EXPIRED",
                f"events after {since} are no longer in the replay log: "
                "reload the current state, then subscribe without `since`",
            )
        cursor = since
        while True:
            page = await hub.bus.read_log(cursor, count=_REPLAY_PAGE)
            if page.last_id is None:
                return
            wanted = [e for e in page.envelopes if event_id_key(e.id) <= end and accepts(e.event)]
            await hub.minifigures.prefetch(minifigure_ids(wanted))
            for envelope in wanted:
                yield envelope
            if event_id_key(page.last_id) >= end:
                return
            cursor = page.last_id
    except (RedisConnectionError, RedisTimeoutError, OSError) as error:
        raise _log_unavailable() from error
