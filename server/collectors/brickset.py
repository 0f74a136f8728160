"""Brickset API v3 `getMinifigCollection`: a collector's owned minifigures, with their own key.

Request: `GET <base>/getMinifigCollection?apiKey=...&userHash=...&params={"owned":1}`.
Answer: `{"status": "success", "matches": N, "minifigs": [{"minifigNumber": "sw0001a",
"name": ..., "category": ..., "ownedInSets": 0, "ownedLoose": 1, "ownedTotal": 1,
"wanted": false}]}`, or `{"status": "error", "message": "..."}`.
Parsing is pure (`parse_minifig_collection`); `BricksetClient` does the I/O.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

_TIMEOUT_S = 20.0


class BricksetError(Exception):
    """Brickset refused the request (bad key or hash) or answered with something unusable."""


@dataclass(frozen=True, slots=True)
class OwnedMinifig:
    minifig_number: str
    name: str
    owned_total: int


def parse_minifig_collection(body: Any) -> list[OwnedMinifig]:
    if not isinstance(body, dict):
        raise BricksetError("Brickset answered with something other than a JSON object")
    if body.get("status") != "success":
        raise BricksetError(f"Brickset refused: {body.get('message') or 'no reason given'}")
    minifigs = body.get("minifigs")
    if not isinstance(minifigs, list):
        raise BricksetError("Brickset's answer has no minifigs list")
    owned = []
    for entry in minifigs:
        if not isinstance(entry, dict) or not isinstance(entry.get("minifigNumber"), str):
            raise BricksetError("a Brickset minifig entry has no minifigNumber")
        total = entry.get("ownedTotal", 0)
        if not isinstance(total, int) or total <= 0:
            continue  # wanted, not owned
        owned.append(OwnedMinifig(entry["minifigNumber"], str(entry.get("name", "")), total))
    return owned


class BricksetClient:
    def __init__(self, http: httpx.AsyncClient, base_url: str) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")

    async def owned_minifigs(self, api_key: str, user_hash: str) -> list[OwnedMinifig]:
        try:
            response = await self._http.get(
                f"{self._base_url}/getMinifigCollection",
                params={
                    "apiKey": api_key,
                    "userHash": user_hash,
                    "params": json.dumps({"owned": 1}),
                },
                timeout=_TIMEOUT_S,
            )
        except httpx.HTTPError as error:
            raise BricksetError(f"Brickset could not be reached ({type(error).__name__})") from None
        if response.status_code != 200:
            raise BricksetError(f"Brickset answered HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            raise BricksetError("Brickset answered with something other than JSON") from None
        return parse_minifig_collection(body)
