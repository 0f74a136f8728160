"""BrickOwl: catalog/availability for a minifigure's BOID (asking prices of open stores).

catalog/id_lookup turns the BrickLink-style fig number into a BOID, once: the BOID is
stored on the catalog row, and later syncs go straight to catalog/availability, which
lists the lots (an object keyed by lot id).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time
from typing import Any, Protocol

from pydantic import SecretStr

from workers.pipeline.observation import Observation
from workers.sources.errors import MalformedResponseError
from workers.sources.http import SourceClient
from workers.sources.payload import decimal_of, field, json_of

SOURCE = "brickowl"
API_URL = "https://api.brickowl.com/v1"
REQUESTS_PER_FIGURE = 2


class BoidStore(Protocol):
    """Where BOIDs are remembered (the catalog's `brickowl_id`)."""

    async def boid_of(self, fig_num: str) -> str | None: ...

    async def remember(self, fig_num: str, boid: str) -> None: ...


def parse_boid(payload: Any) -> str | None:
    boids = field(SOURCE, payload, "boids", list)
    return str(boids[0]) if boids else None


def parse_availability(payload: Any, *, fig_num: str, fetched_at: datetime) -> list[Observation]:
    """Pure: an availability response -> ASK observations, one per open store's lot."""
    if isinstance(payload, list) and not payload:
        return []  # PHP encodes an empty map as []
    if not isinstance(payload, dict):
        raise MalformedResponseError(SOURCE, "availability is not an object keyed by lot id")
    sighting = datetime.combine(fetched_at.astimezone(UTC).date(), time(), UTC)
    observations = []
    for lot_id, lot in sorted(payload.items()):
        if not isinstance(lot, dict):
            raise MalformedResponseError(SOURCE, f"lot {lot_id!r} is not an object")
        if lot.get("open") is False:
            continue
        quantity = int(decimal_of(SOURCE, field(SOURCE, lot, "qty", (str, int)), "qty"))
        observations.append(
            Observation(
                source=SOURCE,
                external_id=str(lot_id),
                fig_num=fig_num,
                observed_at=sighting,
                kind="ASK",
                condition=field(SOURCE, lot, "con", str),
                price=decimal_of(SOURCE, field(SOURCE, lot, "price", (str, int, float)), "price"),
                currency=field(SOURCE, lot, "base_currency", str),
                quantity=max(quantity, 1),
                seller_name=lot.get("store_name"),
                seller_country=lot.get("country"),
                raw=lot,
            )
        )
    return observations


class BrickOwl:
    def __init__(
        self,
        client: SourceClient,
        api_key: SecretStr,
        boids: BoidStore,
        *,
        base_url: str = API_URL,
    ) -> None:
        self.client = client
        self.api_key = api_key
        self.boids = boids
        self.base_url = base_url

    async def _get(self, path: str, **params: str) -> Any:
        response = await self.client.request(
            "GET",
            f"{self.base_url}/{path}",
            params={"key": self.api_key.get_secret_value(), **params},
        )
        return json_of(SOURCE, response)

    async def fetch(self, fig_num: str, *, now: datetime) -> Sequence[Observation]:
        boid = await self.boids.boid_of(fig_num)
        if boid is None:
            boid = parse_boid(
                await self._get(
                    "catalog/id_lookup", id=fig_num, type="Minifigure", id_type="item_no"
                )
            )
            if boid is None:
                return []
            await self.boids.remember(fig_num, boid)
        payload = await self._get("catalog/availability", boid=boid, country="US")
        return parse_availability(payload, fig_num=fig_num, fetched_at=now)
