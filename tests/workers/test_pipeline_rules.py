"""Validation, title classification, outliers and in-batch dedupe."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.models import SyncRun
from server.store.catalog import upsert_minifigures
from tests.factories import catalog_entry
from workers.context import Services
from workers.pipeline.classify import OutlierTest, title_exclusion
from workers.pipeline.observation import Observation
from workers.pipeline.persist import deduplicated
from workers.pipeline.run import run_ingest
from workers.pipeline.validate import rejection_reason

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
GOOD = Observation(
    source="ebay",
    external_id="v1|1|0",
    fig_num="SW0001A",
    observed_at=NOW - timedelta(hours=1),
    kind="ASK",
    condition="Used",
    price=Decimal("12.50"),
    currency="USD",
)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({}, None),
        ({"external_id": ""}, "missing_external_id"),
        ({"fig_num": "sw 0001"}, "invalid_fig_num"),
        ({"observed_at": datetime(2026, 11, 22, 11)}, "naive_timestamp"),
        ({"observed_at": NOW + timedelta(days=2)}, "future_timestamp"),
        ({"kind": "BID"}, "unknown_kind"),
        ({"condition": "For parts or not working"}, "unknown_condition"),
        ({"price": Decimal(0)}, "invalid_price"),
        ({"price": Decimal("NaN")}, "invalid_price"),
        ({"shipping": Decimal(-1)}, "invalid_shipping"),
        ({"currency": "usd"}, "invalid_currency"),
        ({"quantity": 0}, "invalid_quantity"),
    ],
)
def test_validation(change: dict[str, Any], reason: str | None) -> None:
    assert rejection_reason(replace(GOOD, **change), NOW) == reason


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("LEGO Star Wars Luke Skywalker sw0001a Minifigure 1999", None),
        ("Lego 7140 X-wing pilot Luke minifig", None),
        ("Job lot LEGO minifigures Star Wars", "lot"),
        ("LEGO 25 minifigures bundle", "lot"),
        ("3x LEGO Stormtrooper minifigure", "lot"),
        ("Luke Skywalker torso only sw0001a", "parts_only"),
        ("LEGO Luke Skywalker - no legs", "parts_only"),
        ("Custom Luke Skywalker minifig", "custom"),
        ("Luke Skywalker minifigure compatible with Lego", "custom"),
        ("LEGO Luke Skywalker key chain", "keychain"),
        ("LEGO Darth Vader Magnet", "keychain"),
        ("LEGO Hulk big fig sh039", "big_fig"),
    ],
)
def test_title_rules(title: str, reason: str | None) -> None:
    assert title_exclusion(title) == reason


def test_a_rule_the_catalog_name_matches_does_not_exclude() -> None:
    assert title_exclusion("LEGO Hulk big fig sh039", "Hulk (Big Fig)") is None
    assert title_exclusion("LEGO Hulk big fig sh039 lot of 3", "Hulk (Big Fig)") == "lot"
    assert title_exclusion("LEGO Hulk big fig sh039", "Hulk") == "big_fig"


def test_modified_z_score() -> None:
    prices = [Decimal(p) for p in ("9.5", "8.75", "10", "10", "7.5", "9", "9.25")]
    test = OutlierTest(prices)
    assert test.is_outlier(Decimal("48"))
    assert test.is_outlier(Decimal("1"))
    assert not test.is_outlier(Decimal("11"))
    assert not OutlierTest(prices[:4]).is_outlier(Decimal("480"))  # too few to judge
    flat = OutlierTest([Decimal(10)] * 6)
    assert flat.is_outlier(Decimal(31))
    assert not flat.is_outlier(Decimal(12))


def test_dedupe_keeps_one_per_key_whatever_the_order() -> None:
    cheaper = replace(GOOD, price=Decimal("11.00"))
    other = replace(GOOD, external_id="v1|2|0")
    forwards = deduplicated([GOOD, cheaper, other])
    backwards = deduplicated([other, cheaper, GOOD])
    assert forwards == backwards
    assert [o.external_id for o in forwards] == ["v1|1|0", "v1|2|0"]


async def test_rejections_are_counted_and_unknown_currencies_refused(
    services: Services, db: AsyncSession
) -> None:
    async with services.session_factory() as session, session.begin():
        await upsert_minifigures(session, [catalog_entry("sw0001a")])
    batch = [
        GOOD,
        replace(GOOD, external_id="v1|2|0", currency="XTS"),  # no rate for the ISO test code
        replace(GOOD, external_id="v1|3|0", fig_num="sw9999"),  # not in the catalog
        replace(GOOD, external_id="v1|4|0", price=Decimal(-3)),
    ]

    async def fetch() -> list[Observation]:
        return batch

    summary = await run_ingest(services, source="ebay", kind="prices", fetch=fetch)

    run = await db.scalar(select(SyncRun).where(SyncRun.id == summary.sync_run_id))
    assert run is not None
    assert (run.seen, run.saved, run.rejected) == (4, 1, 3)
