"""Rules evaluated by the ingest pipeline: each kind at its boundary, a crossing fired
once, re-ingesting fires nothing, and the firing is published after the commit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from server.events import AlertTriggered
from server.models import ListingKind
from tests.alerts.conftest import Price, firings, ingest, new_account, rule
from tests.graphql.market_data import add_figures, add_listings, noon_ago
from workers.context import Services
from workers.pipeline.normalize import rates_for


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)


async def test_a_price_rule_fires_strictly_beyond_its_amount(
    services: Services, committed: AsyncSession
) -> None:
    ids = await add_figures(committed, *({"fig_num": f"lvl{n}"} for n in range(1, 5)))
    owner = await new_account(committed)
    below_at = await rule(
        committed, owner, ids["lvl1"], direction="BELOW", price=Decimal("10.00"), currency="USD"
    )
    below_under = await rule(
        committed, owner, ids["lvl2"], direction="BELOW", price=Decimal("10.00"), currency="USD"
    )
    above_at = await rule(
        committed, owner, ids["lvl3"], direction="ABOVE", price=Decimal("20.00"), currency="USD"
    )
    above_over = await rule(
        committed, owner, ids["lvl4"], direction="ABOVE", price=Decimal("20.00"), currency="USD"
    )
    now = _now()

    await ingest(
        services,
        [
            Price("lvl1", "10.00", now),
            Price("lvl2", "9.99", now),
            Price("lvl3", "20.00", now),
            Price("lvl4", "20.01", now),
        ],
    )

    fired = {row[0]: row[1] for row in await firings(committed, owner)}
    assert fired == {below_under.id: Decimal("9.99"), above_over.id: Decimal("20.01")}
    assert below_at.id not in fired
    assert above_at.id not in fired


async def test_a_price_rule_in_another_currency_compares_at_the_days_rate(
    services: Services, committed: AsyncSession
) -> None:
    ids = await add_figures(committed, {"fig_num": "eur1"}, {"fig_num": "eur2"})
    owner = await new_account(committed)
    now = _now()
    rate = (await rates_for(committed, [("EUR", now.date())]))[("EUR", now.date())]
    threshold_usd = Decimal(10) * rate
    under = (threshold_usd - Decimal("0.005")).quantize(Decimal("0.01"), rounding="ROUND_FLOOR")
    over = (threshold_usd + Decimal("0.005")).quantize(Decimal("0.01"), rounding="ROUND_CEILING")
    for fig_num in ("eur1", "eur2"):
        await rule(
            committed, owner, ids[fig_num], direction="BELOW", price=Decimal(10), currency="EUR"
        )

    await ingest(services, [Price("eur1", str(under), now), Price("eur2", str(over), now)])

    assert [row[1] for row in await firings(committed, owner)] == [under]


async def test_a_move_rule_fires_at_its_percentage_of_the_windows_median(
    services: Services, committed: AsyncSession
) -> None:
    figures = ["mvu001", "mvs001", "mvd001", "mvt001", "mvo001"]
    ids = await add_figures(committed, *({"fig_num": f} for f in figures))
    for fig_num in figures[:4]:
        await add_listings(
            committed,
            ids[fig_num],
            [(noon_ago(2), "100"), (noon_ago(3), "96"), (noon_ago(4), "104")],
        )
    # Only outside the 7-day window: nothing to measure a move from.
    await add_listings(committed, ids["mvo001"], [(noon_ago(9), "100")])
    # Asks are their own sample: a sold rule does not measure from them.
    await add_listings(committed, ids["mvu001"], [(noon_ago(1), "50")], kind=ListingKind.ASK)
    await committed.commit()
    owner = await new_account(committed)
    rules = {
        fig_num: await rule(
            committed,
            owner,
            ids[fig_num],
            direction="BELOW" if fig_num in ("mvd001", "mvt001") else "ABOVE",
            change_pct=Decimal("10"),
            window_days=7,
        )
        for fig_num in figures
    }
    now = _now()

    await ingest(
        services,
        [
            Price("mvu001", "110.00", now),
            Price("mvs001", "109.99", now),
            Price("mvd001", "90.00", now),
            Price("mvt001", "90.01", now),
            Price("mvo001", "500.00", now),
        ],
    )

    fired = {row[0]: row[1:] for row in await firings(committed, owner)}
    assert fired == {
        rules["mvu001"].id: (Decimal("110.00"), Decimal("10.00"), Decimal("100.00")),
        rules["mvd001"].id: (Decimal("90.00"), Decimal("-10.00"), Decimal("100.00")),
    }


async def test_a_crossing_fires_once_and_reingesting_fires_nothing(
    services: Services, committed: AsyncSession
) -> None:
    ids = await add_figures(committed, {"fig_num": "cross1"})
    owner = await new_account(committed)
    watched = await rule(
        committed, owner, ids["cross1"], direction="BELOW", price=Decimal(10), currency="USD"
    )
    # An ask and a new-condition price are other samples: they neither fire nor re-arm it.
    start = _now() - timedelta(minutes=10)
    batch = [
        Price("cross1", "9.00", start),
        Price("cross1", "8.00", start + timedelta(minutes=1)),
        Price("cross1", "5.00", start + timedelta(minutes=2), kind="ASK"),
        Price("cross1", "12.00", start + timedelta(minutes=3), condition="NEW"),
        Price("cross1", "11.00", start + timedelta(minutes=4)),
        Price("cross1", "9.50", start + timedelta(minutes=5)),
    ]
    first = await ingest(services, batch)
    assert first.saved == len(batch)
    assert [row[1] for row in await firings(committed, owner)] == [
        Decimal("9.00"),
        Decimal("9.50"),
    ]
    published = [
        e.event
        for e in (await services.bus.read_log("0-0", count=100_000)).envelopes
        if isinstance(e.event, AlertTriggered) and e.event.account_id == str(owner)
    ]
    assert [e.price_usd for e in published] == [Decimal("9.00"), Decimal("9.50")]
    assert {e.alert_id for e in published} == {str(watched.id)}

    mark = await services.bus.latest_id()
    assert mark is not None
    again = await ingest(services, batch)
    assert again.saved == 0
    assert len(await firings(committed, owner)) == 2
    # The re-ingest published its run's progress only: no alert event again.
    added = (await services.bus.read_log(mark)).envelopes
    assert added
    assert not [e for e in added if isinstance(e.event, AlertTriggered)]
