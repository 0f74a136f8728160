"""Minifigures that live events refer to, cached per process and loaded in batches."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.models import Minifigure
from server.store.catalog import minifigures_by_ids


class MinifigureCache:
    """Catalog rows by id, shared by every subscriber of the process.

    Catalog data changes rarely and ticks name the same minifigures again and again, so
    an entry is reused for `ttl_seconds` and then reloaded with the next batch that names
    it. `prefetch` loads every missing or stale entry of a batch in one query; `get`
    never queries, so resolving a tick's minifigure costs nothing per subscriber.
    """

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        ttl_seconds: float = 300.0,
        max_entries: int = 50_000,
    ) -> None:
        self._session_factory = session_factory
        self._ttl = ttl_seconds
        self._max_entries = max_entries
        self._rows: dict[str, tuple[Minifigure, float]] = {}
        self.queries = 0

    def __len__(self) -> int:
        return len(self._rows)

    def get(self, minifigure_id: str) -> Minifigure | None:
        entry = self._rows.get(minifigure_id)
        return entry[0] if entry else None

    async def prefetch(self, minifigure_ids: Iterable[str]) -> None:
        now = time.monotonic()
        wanted: list[uuid.UUID] = []
        for minifigure_id in set(minifigure_ids):
            entry = self._rows.get(minifigure_id)
            if entry is not None and now - entry[1] < self._ttl:
                continue
            try:
                wanted.append(uuid.UUID(minifigure_id))
            except ValueError:
                continue  # not an id this catalog can hold
        if not wanted:
            return
        self.queries += 1
        async with self._session_factory() as session:
            rows = await minifigures_by_ids(session, wanted)
        for row in rows:
            self._rows.pop(str(row.id), None)  # re-inserted last: eviction goes oldest first
            self._rows[str(row.id)] = (row, now)
        while len(self._rows) > self._max_entries:
            del self._rows[next(iter(self._rows))]
