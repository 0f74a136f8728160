"""Rebrickable catalog: the official CSV downloads and the API v3 minifig endpoints.

CSV joins: minifigs.csv (fig_num, name, num_parts, img_url) -> inventory_minifigs.csv
(inventory_id, fig_num, quantity) -> inventories.csv (id, version, set_num) -> sets.csv
(set_num, name, year, theme_id, ...) -> themes.csv (id, name, parent_id). A figure's
year is the earliest year of a set that contains it; its theme is that set's top-level
theme. Rebrickable numbers figures fig-000001; the entries carry that id as their fig
number, and the catalog's identity resolver (server/store/identity.py) re-keys them to
the BrickLink item number where the stored crosswalk knows it.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import AsyncIterator, Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

from pydantic import SecretStr

from server.store.catalog import CatalogEntry
from server.store.errors import InvalidRecordError
from workers.sources.errors import MalformedResponseError
from workers.sources.http import SourceClient
from workers.sources.payload import field, json_of

SOURCE = "rebrickable"
API_URL = "https://rebrickable.com/api/v3"


class CatalogFormatError(ValueError):
    """A CSV download lacks a file or a column; nothing was imported."""


def _open(directory: Path, name: str) -> TextIO:
    for candidate in (directory / f"{name}.csv", directory / f"{name}.csv.gz"):
        if candidate.exists():
            if candidate.suffix == ".gz":
                return gzip.open(candidate, "rt", encoding="utf-8", newline="")
            return candidate.open(encoding="utf-8", newline="")
    raise CatalogFormatError(f"{name}.csv(.gz) not found in {directory}")


def _rows(directory: Path, name: str, columns: set[str]) -> Iterator[dict[str, str]]:
    with _open(directory, name) as file:
        reader = csv.DictReader(file)
        missing = columns - set(reader.fieldnames or ())
        if missing:
            raise CatalogFormatError(f"{name}.csv lacks column(s) {sorted(missing)}")
        yield from reader


def _top_theme(theme_id: str, themes: Mapping[str, tuple[str, str]]) -> str | None:
    seen = set()
    while theme_id in themes and theme_id not in seen:
        seen.add(theme_id)
        name, parent = themes[theme_id]
        if not parent:
            return name
        theme_id = parent
    return None


def read_csv_catalog(directory: Path) -> tuple[list[CatalogEntry], int]:
    """Entries from a directory of Rebrickable downloads; returns (entries, skipped)."""
    themes = {
        row["id"]: (row["name"], row["parent_id"])
        for row in _rows(directory, "themes", {"id", "name", "parent_id"})
    }
    sets = {
        row["set_num"]: (int(row["year"]), row["theme_id"])
        for row in _rows(directory, "sets", {"set_num", "year", "theme_id"})
    }
    inventory_sets = {
        row["id"]: row["set_num"] for row in _rows(directory, "inventories", {"id", "set_num"})
    }
    first_set: dict[str, tuple[int, str]] = {}
    for row in _rows(directory, "inventory_minifigs", {"inventory_id", "fig_num"}):
        set_info = sets.get(inventory_sets.get(row["inventory_id"], ""))
        if set_info is None:
            continue
        current = first_set.get(row["fig_num"])
        if current is None or set_info[0] < current[0]:
            first_set[row["fig_num"]] = set_info
    entries: list[CatalogEntry] = []
    skipped = 0
    for row in _rows(directory, "minifigs", {"fig_num", "name", "num_parts", "img_url"}):
        year, theme_id = first_set.get(row["fig_num"], (None, ""))
        try:
            entries.append(
                CatalogEntry(
                    fig_num=row["fig_num"],
                    name=row["name"],
                    theme=_top_theme(theme_id, themes),
                    year_released=year,
                    num_parts=int(row["num_parts"]) if row["num_parts"] else None,
                    image_url=row["img_url"] or None,
                    rebrickable_id=row["fig_num"],
                )
            )
        except (InvalidRecordError, ValueError):
            skipped += 1
    return entries, skipped


def read_crosswalk(path: Path) -> dict[str, str]:
    """A two-column CSV: rebrickable_id,bricklink_id."""
    with path.open(encoding="utf-8", newline="") as file:
        return {
            row["rebrickable_id"]: row["bricklink_id"].strip().lower()
            for row in csv.DictReader(file)
            if row.get("bricklink_id")
        }


def parse_minifigs_page(payload: Any) -> tuple[list[CatalogEntry], str | None]:
    """Pure: one page of /lego/minifigs/ -> (entries, next page URL)."""
    results = field(SOURCE, payload, "results", list)
    following = payload.get("next")
    if following is not None and not isinstance(following, str):
        raise MalformedResponseError(SOURCE, "next is not a URL")
    entries = []
    for item in results:
        rebrickable_id = field(SOURCE, item, "set_num", str)
        try:
            entries.append(
                CatalogEntry(
                    fig_num=rebrickable_id,
                    name=field(SOURCE, item, "name", str),
                    num_parts=item.get("num_parts"),
                    image_url=item.get("set_img_url"),
                    rebrickable_id=rebrickable_id,
                )
            )
        except InvalidRecordError as error:
            raise MalformedResponseError(SOURCE, f"{rebrickable_id}: {error}") from error
    return entries, following


class Rebrickable:
    def __init__(
        self,
        client: SourceClient,
        api_key: SecretStr,
        *,
        base_url: str = API_URL,
        page_size: int = 1000,
    ) -> None:
        self.client = client
        self.api_key = api_key
        self.base_url = base_url
        self.page_size = page_size

    async def minifig_pages(self) -> AsyncIterator[list[CatalogEntry]]:
        url: str | None = f"{self.base_url}/lego/minifigs/?page_size={self.page_size}"
        while url is not None:
            response = await self.client.request(
                "GET", url, headers={"Authorization": f"key {self.api_key.get_secret_value()}"}
            )
            entries, url = parse_minifigs_page(json_of(SOURCE, response))
            yield entries
