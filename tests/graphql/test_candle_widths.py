"""priceHistory at any width: HOUR, a free ISO-8601 duration, and coded errors for bad ones."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.graphql.conftest import GraphQLClient
from tests.graphql.market_data import add_figures, add_listings

MONDAY = datetime(2026, 3, 2, tzinfo=UTC)
HISTORY = """query($interval: PriceInterval!, $width: String, $from: DateTime!, $to: DateTime!) {
  minifigure(figNum: "sw0001a") {
    priceHistory(from: $from, to: $to, interval: $interval, width: $width) {
      start open close trades
    }
  }
}"""


@pytest.fixture
async def luke(committed: AsyncSession) -> uuid.UUID:
    ids = await add_figures(committed, {"fig_num": "sw0001a"})
    await add_listings(
        committed,
        ids["sw0001a"],
        [
            (MONDAY + timedelta(hours=1), "10.00"),
            (MONDAY + timedelta(hours=3, minutes=59), "11.00"),
            (MONDAY + timedelta(hours=4), "12.00"),
            (MONDAY + timedelta(days=2, hours=23), "13.00"),
            (MONDAY + timedelta(days=3), "14.00"),
        ],
    )
    await committed.commit()
    return ids["sw0001a"]


async def _candles(gql: GraphQLClient, interval: str, width: str | None = None) -> list[object]:
    data = await gql.data(
        HISTORY,
        interval=interval,
        width=width,
        **{"from": MONDAY.isoformat(), "to": (MONDAY + timedelta(days=7)).isoformat()},
    )
    candles: list[object] = data["minifigure"]["priceHistory"]
    return candles


@pytest.mark.usefixtures("luke")
async def test_hourly_and_free_widths_bucket_from_monday_2000_01_03(gql: GraphQLClient) -> None:
    hourly = await _candles(gql, "HOUR")
    four_hours = await _candles(gql, "DAY", "PT4H")
    three_days = await _candles(gql, "DAY", "P3D")

    assert [c["start"][11:16] for c in hourly[:3]] == ["01:00", "03:00", "04:00"]  # type: ignore[index]
    assert four_hours[0] == {
        "start": "2026-03-02T00:00:00+00:00",
        "open": 10.0,
        "close": 11.0,
        "trades": 2,
    }
    # 2026-03-02 is 3185 x 3 days after 2000-01-03: a three-day bucket starts on it.
    assert [(c["start"][:10], c["trades"]) for c in three_days] == [  # type: ignore[index]
        ("2026-03-02", 4),
        ("2026-03-05", 1),
    ]


@pytest.mark.usefixtures("luke")
async def test_bad_widths_get_coded_errors(gql: GraphQLClient) -> None:
    window = {"from": MONDAY.isoformat(), "to": (MONDAY + timedelta(days=7)).isoformat()}
    month = await gql.error_codes(HISTORY, interval="DAY", width="P1M", **window)
    garbage = await gql.error_codes(HISTORY, interval="DAY", width="four hours", **window)
    too_many = await gql.error_codes(
        HISTORY, interval="DAY", width="PT1M", **{**window, "from": "2025-01-01T00:00:00Z"}
    )
    hourly_index = await gql.error_codes("{ marketIndex(interval: HOUR) { value } }")

    assert month == ["INVALID_INTERVAL"]
    assert garbage == ["INVALID_INTERVAL"]
    assert too_many == ["RANGE_TOO_LARGE"]
    assert hourly_index == ["INVALID_INTERVAL"]


async def test_narrow_widths_cost_more_like_hourly_candles(gql: GraphQLClient) -> None:
    async def cost(interval: str, width: str | None = None) -> int:
        variables: dict[str, Any] = {
            "interval": interval,
            "width": width,
            "from": MONDAY.isoformat(),
            "to": (MONDAY + timedelta(days=7)).isoformat(),
        }
        body = await gql.execute(HISTORY, **variables)
        requested: int = body["extensions"]["cost"]["requested"]
        return requested

    daily, hourly, one_hour_width = await cost("DAY"), await cost("HOUR"), await cost("DAY", "PT1H")

    assert hourly > daily * 20
    assert one_hour_width == hourly
