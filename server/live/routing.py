"""The hub's route index: which audiences may want an event, found by key, not by a scan."""

from __future__ import annotations

from typing import Protocol

from server.events import Envelope, Event
from server.live.filters import Criteria, event_routes


class Audience(Protocol):
    """Whoever receives matching events: one shared operation and its subscribers."""

    @property
    def criteria(self) -> Criteria: ...

    def offer(self, envelope: Envelope) -> None:
        """Takes an event; must not block (the hub calls it for every match, in log order)."""


class RouteIndex:
    def __init__(self) -> None:
        self._by_key: dict[object, set[Audience]] = {}

    def add(self, audience: Audience) -> None:
        for key in audience.criteria.routes():
            self._by_key.setdefault(key, set()).add(audience)

    def remove(self, audience: Audience) -> None:
        for key in audience.criteria.routes():
            filed = self._by_key.get(key)
            if filed is not None:
                filed.discard(audience)
                if not filed:
                    del self._by_key[key]

    def matching(self, event: Event) -> list[Audience]:
        """The audiences whose criteria accept the event, each once (a list: offering an
        event may end an audience, which changes the index)."""
        found: dict[int, Audience] = {}
        for key in event_routes(event):
            for audience in self._by_key.get(key, ()):
                if id(audience) not in found and audience.criteria(event):
                    found[id(audience)] = audience
        return list(found.values())
