"""The alert hook's statements depend on the batch's shape, never on its size."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from server.events import PriceTick
from tests.alerts.conftest import new_account, rule
from tests.graphql.conftest import StatementCounter
from tests.graphql.market_data import add_figures
from workers.context import Services
from workers.pipeline.alerts import fire_alerts

_listing_ids = itertools.count(10**12)


def _ticks(minifigure_id: str, count: int) -> list[PriceTick]:
    start = datetime.now(UTC) - timedelta(hours=1)
    return [
        PriceTick(
            listing_id=next(_listing_ids),
            minifigure_id=minifigure_id,
            fig_num="stc001",
            theme=None,
            source="demo",
            kind="SOLD",
            condition="USED",
            # Alternating across the level: every other price crosses it again.
            price_usd=Decimal("9") if n % 2 else Decimal("11"),
            quantity=1,
            observed_at=start + timedelta(seconds=n),
            excluded_reason=None,
        )
        for n in range(count)
    ]


@pytest.fixture
def counted(services: Services) -> Iterator[StatementCounter]:
    counter = StatementCounter()
    engine = services.session_factory.kw["bind"].sync_engine
    event.listen(engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine, "before_cursor_execute", counter)


async def _statements(
    services: Services, counter: StatementCounter, ticks: list[PriceTick]
) -> tuple[int, int]:
    """(statements, firings) of one evaluation, rolled back afterwards."""
    async with services.session_factory() as session:
        await session.begin()
        counter.reset()
        fired = await fire_alerts(services, session, ticks)
        count = counter.count
        await session.rollback()
    return count, len(fired)


async def test_a_batch_costs_the_same_statements_whatever_its_size(
    services: Services, committed: AsyncSession, counted: StatementCounter
) -> None:
    ids = await add_figures(committed, {"fig_num": "stc001"}, {"fig_num": "stc002"})
    watched, unwatched = str(ids["stc001"]), str(ids["stc002"])
    # Nobody watches the figure: one statement finds no rule.
    assert await _statements(services, counted, _ticks(unwatched, 50)) == (1, 0)

    owner = await new_account(committed)
    await rule(
        committed, owner, ids["stc001"], direction="BELOW", price=Decimal(10), currency="USD"
    )
    await rule(
        committed, owner, ids["stc001"], direction="BELOW", price=Decimal(10), currency="EUR"
    )
    await rule(
        committed, owner, ids["stc001"], direction="ABOVE", change_pct=Decimal(5), window_days=7
    )
    # Rules, EUR rates, window medians, the armed states that changed, the firings.
    few = await _statements(services, counted, _ticks(watched, 4))
    many = await _statements(services, counted, _ticks(watched, 60))
    assert few[0] == many[0] == 5
    assert few[1] < many[1]
