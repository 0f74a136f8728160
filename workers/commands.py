"""What `stonks sync`, `aggregate`, `reprocess`, `import-fx` and `import-catalog` do,
run in-process."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from arq import Retry

from server.settings import Settings
from server.store.catalog import CatalogEntry
from server.store.fx import Rate, upsert_rates
from server.store.identity import import_entries, save_crosswalk
from server.store.schedule import fig_nums_after
from workers.context import services_of
from workers.jobs.sync import sync_prices
from workers.pipeline.aggregate import recompute_range
from workers.pipeline.reprocess import reprocess as reprocess_payloads
from workers.runner import job_context
from workers.sources.errors import SourceError
from workers.sources.fx import parse_ecb_xml
from workers.sources.rebrickable import read_crosswalk, read_csv_catalog
from workers.sources.registry import PRICE_SOURCES, is_configured

_PAGE = 500


async def sync(settings: Settings, out: TextIO, *, source: str | None, fig_num: str | None) -> int:
    """Syncs prices now; returns the number of failed (source, figure) runs."""
    sources = [source] if source else [s for s in PRICE_SOURCES if is_configured(s, settings)]
    failures = 0
    async with job_context(settings) as ctx:
        services = services_of(ctx)
        if fig_num is not None:
            fig_nums = [fig_num]
        else:
            fig_nums = []
            async with services.session_factory() as session:
                while page := await fig_nums_after(
                    session, fig_nums[-1] if fig_nums else None, _PAGE
                ):
                    fig_nums += page
        for code in sources:
            for fig in fig_nums:
                try:
                    result = await sync_prices(ctx, code, fig)
                except (SourceError, Retry) as error:
                    failures += 1
                    out.write(f"{code} {fig}: failed: {error}\n")
                else:
                    out.write(f"{code} {fig}: {result}\n")
    return failures


async def aggregate(settings: Settings, out: TextIO, *, first_day: date, last_day: date) -> None:
    async with job_context(settings) as ctx:
        written = await recompute_range(services_of(ctx), first_day, last_day)
    out.write(f"recomputed {written} snapshots from {first_day} to {last_day}\n")


async def reprocess(
    settings: Settings, out: TextIO, *, source: str, first_day: date, last_day: date
) -> None:
    async with job_context(settings) as ctx:
        summary = await reprocess_payloads(
            services_of(ctx), source=source, first_day=first_day, last_day=last_day
        )
    out.write(
        f"reprocessed {summary.payloads} {source} payloads received from {first_day} to "
        f"{last_day}: {summary.stored} listings stored, {summary.rejected} rejected, "
        f"{summary.snapshots} snapshots recomputed\n"
    )


def import_fx_rates(path: Path) -> list[Rate]:
    return parse_ecb_xml(path.read_bytes())


async def import_fx(settings: Settings, out: TextIO, *, rates: list[Rate], path: Path) -> None:
    async with job_context(settings) as ctx:
        services = services_of(ctx)
        async with services.session_factory() as session, session.begin():
            await upsert_rates(session, rates, source="ecb")
    out.write(f"imported {len(rates)} rates from {path}\n")


@dataclass(frozen=True, slots=True)
class CatalogFiles:
    entries: list[CatalogEntry]
    skipped: int
    crosswalk: dict[str, str]


def read_catalog(directory: Path, crosswalk: Path | None) -> CatalogFiles:
    """Reads the CSV downloads (blocking file I/O, hence outside the event loop)."""
    entries, skipped = read_csv_catalog(directory)
    return CatalogFiles(entries, skipped, read_crosswalk(crosswalk) if crosswalk else {})


async def import_catalog(
    settings: Settings,
    out: TextIO,
    *,
    catalog: CatalogFiles,
    directory: Path,
) -> None:
    entries = catalog.entries
    merged = 0
    async with job_context(settings) as ctx:
        services = services_of(ctx)
        async with services.session_factory() as session, session.begin():
            # Stored, so that the API sync keys figures the same way later.
            await save_crosswalk(session, catalog.crosswalk)
        for start in range(0, len(entries), _PAGE):
            async with services.session_factory() as session, session.begin():
                outcome = await import_entries(
                    session, entries[start : start + _PAGE], update_known=True
                )
            merged += len(outcome.merges)
    out.write(
        f"imported {len(entries)} minifigures ({catalog.skipped} skipped, {merged} duplicates "
        f"merged) from {directory}\n"
    )
