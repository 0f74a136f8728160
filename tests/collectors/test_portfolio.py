"""Holdings CRUD and the portfolio's arithmetic: two currencies, and the daily value series."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.graphql.node import to_global_id
from server.models import Condition
from server.store.fx import Rate, upsert_rates
from tests.collectors.conftest import as_user, sign_up
from tests.graphql.conftest import GraphQLClient, StatementCounter
from tests.graphql.market_data import add_figures, add_listings, add_medians, day_ago, noon_ago

ADD = """mutation($input: AddHoldingInput!) {
  addHolding(input: $input) {
    __typename
    ... on HoldingSuccess { holding { id quantity unitCost currency acquiredOn condition } }
    ... on MutationError { code field message }
  }
}"""

UPDATE = """mutation($id: ID!, $input: UpdateHoldingInput!) {
  updateHolding(id: $id, input: $input) {
    __typename
    ... on HoldingSuccess { holding { quantity unitCost currency } }
    ... on MutationError { code field }
  }
}"""

REMOVE = """mutation($id: ID!) {
  removeHolding(id: $id) {
    __typename
    ... on MutationError { code field }
  }
}"""

PORTFOLIO = """query($currency: String!) { viewer { portfolio(currency: $currency) {
  currency value cost profitLoss profitLossPct
  holdings { minifigure { figNum } unitPrice value cost profitLoss profitLossPct }
} } }"""

HISTORY = """query($currency: String!, $from: Date!, $to: Date!, $interval: PriceInterval!) {
  viewer { portfolio(currency: $currency) {
    history(from: $from, to: $to, interval: $interval) { day value cost profitLoss }
  } }
}"""


@pytest.fixture
async def euro_rates(committed: AsyncSession) -> AsyncIterator[None]:
    # One euro was 1.10 dollars ten days ago and is 1.20 today (none in between).
    await upsert_rates(
        committed,
        [Rate("EUR", day_ago(10), Decimal("1.10")), Rate("EUR", day_ago(0), Decimal("1.20"))],
        source="test-collectors",
    )
    await committed.commit()
    yield
    await committed.execute(text("DELETE FROM fx_rates WHERE source = 'test-collectors'"))
    await committed.commit()


def _holding(figure: str, **values: object) -> dict[str, object]:
    return {"minifigureId": figure, "condition": "USED"} | values


@pytest.mark.usefixtures("euro_rates")
async def test_portfolio_arithmetic_in_two_currencies(
    gql: GraphQLClient, committed: AsyncSession, statements: StatementCounter
) -> None:
    ids = await add_figures(committed, {"fig_num": "pf0001"}, {"fig_num": "pf0002"})
    await add_listings(committed, ids["pf0001"], [(noon_ago(2), "15.00")])
    await add_listings(committed, ids["pf0002"], [(noon_ago(1), "30.00")], condition=Condition.NEW)
    await committed.commit()
    a, b = (to_global_id("Minifigure", ids[f]) for f in ("pf0001", "pf0002"))
    user = await sign_up(gql)
    bought_in_euros = _holding(
        a, quantity=2, unitCost="10.00", currency="eur", acquiredOn=str(day_ago(10))
    )
    bought_in_dollars = _holding(
        b, condition="NEW", quantity=1, unitCost="20", currency="USD", acquiredOn=str(day_ago(5))
    )
    for holding in (bought_in_euros, bought_in_dollars):
        added = (await as_user(gql, user.headers, ADD, input=holding))["addHolding"]
        assert added["__typename"] == "HoldingSuccess", added

    in_dollars = (await as_user(gql, user.headers, PORTFOLIO, currency="USD"))["viewer"]
    statements.reset()
    in_euros = (await as_user(gql, user.headers, PORTFOLIO, currency="EUR"))["viewer"]

    # Value: 2 x 15.00 + 1 x 30.00. Cost: 2 x 10.00 EUR at 1.10 + 20.00 USD.
    assert in_dollars["portfolio"] == {
        "currency": "USD",
        "value": 60.0,
        "cost": 42.0,
        "profitLoss": 18.0,
        "profitLossPct": 42.86,
        "holdings": [
            {
                "minifigure": {"figNum": "pf0001"},
                "unitPrice": 15.0,
                "value": 30.0,
                "cost": 22.0,
                "profitLoss": 8.0,
                "profitLossPct": 36.36,
            },
            {
                "minifigure": {"figNum": "pf0002"},
                "unitPrice": 30.0,
                "value": 30.0,
                "cost": 20.0,
                "profitLoss": 10.0,
                "profitLossPct": 50.0,
            },
        ],
    }
    # Value at today's 1.20: 15/1.2 = 12.50 and 30/1.2 = 25.00. Cost at purchase-day rates:
    # 2 x 10.00 EUR, and 20 USD at the 1.10 still in force five days ago = 18.18 EUR.
    euros = in_euros["portfolio"]
    assert (euros["value"], euros["cost"], euros["profitLoss"]) == (50.0, 38.18, 11.82)
    assert euros["profitLossPct"] == 30.96
    assert [(h["unitPrice"], h["value"], h["cost"]) for h in euros["holdings"]] == [
        (12.5, 25.0, 20.0),
        (25.0, 25.0, 18.18),
    ]
    # Holdings with figures, their prices, EUR's rates (USD needs none) ...
    assert statements.count == 3
    # ... however many holdings there are.
    for _ in range(10):
        await as_user(gql, user.headers, ADD, input=bought_in_dollars)
    statements.reset()
    larger = (await as_user(gql, user.headers, PORTFOLIO, currency="EUR"))["viewer"]
    assert len(larger["portfolio"]["holdings"]) == 12
    assert statements.count == 3


async def test_the_value_series_against_hand_computed_days(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    ids = await add_figures(committed, {"fig_num": "hs0001"}, {"fig_num": "hs0002"})
    await add_medians(committed, ids["hs0001"], {4: "10.00", 2: "14.00"})
    await add_medians(committed, ids["hs0002"], {3: "20.00", 0: "25.00"})
    await committed.commit()
    a, b = (to_global_id("Minifigure", ids[f]) for f in ("hs0001", "hs0002"))
    user = await sign_up(gql)
    for holding in (
        _holding(a, quantity=2, unitCost="9", currency="USD", acquiredOn=str(day_ago(3))),
        _holding(b, quantity=1, unitCost="5", currency="USD", acquiredOn=str(day_ago(1))),
    ):
        await as_user(gql, user.headers, ADD, input=holding)

    series = (
        await as_user(
            gql,
            user.headers,
            HISTORY,
            currency="USD",
            interval="DAY",
            **{"from": str(day_ago(4)), "to": str(day_ago(0))},
        )
    )["viewer"]["portfolio"]["history"]

    assert [(p["day"], p["value"], p["cost"]) for p in series] == [
        (str(day_ago(4)), 0.0, 0.0),  # nothing held yet
        (str(day_ago(3)), 20.0, 18.0),  # 2 x 10.00 (the median of the day before)
        (str(day_ago(2)), 28.0, 18.0),  # 2 x 14.00
        (str(day_ago(1)), 48.0, 23.0),  # 2 x 14.00 + 1 x 20.00 (carried from day 3)
        (str(day_ago(0)), 53.0, 23.0),  # 2 x 14.00 + 1 x 25.00
    ]
    weekly = (
        await as_user(
            gql,
            user.headers,
            HISTORY,
            currency="USD",
            interval="WEEK",
            **{"from": str(day_ago(4)), "to": str(day_ago(0))},
        )
    )["viewer"]["portfolio"]["history"]
    # Each week's point is its last day (Sunday) in the range, and the range's last day.
    assert weekly[-1] == {"day": str(day_ago(0)), "value": 53.0, "cost": 23.0, "profitLoss": 30.0}
    assert all(p in series for p in weekly)


async def test_holding_mutations_with_no_wrong_and_right_credentials_and_bad_values(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    ids = await add_figures(committed, {"fig_num": "hd0001"})
    await committed.commit()
    figure = to_global_id("Minifigure", ids["hd0001"])
    owner, other = await sign_up(gql), await sign_up(gql)
    valid = _holding(figure, quantity=1, unitCost="4.50", currency="USD", acquiredOn="2024-01-02")

    anonymous = (await gql.data(ADD, input=valid))["addHolding"]
    wrong = (await as_user(gql, {"Authorization": "Bearer x.y.z"}, ADD, input=valid))["addHolding"]
    assert anonymous["code"] == "UNAUTHENTICATED"
    assert wrong["code"] == "INVALID_CREDENTIALS"
    for bad, field in (
        (valid | {"quantity": 0}, "quantity"),
        (valid | {"unitCost": "-1"}, "unitCost"),
        (valid | {"unitCost": "1.234"}, "unitCost"),
        (valid | {"currency": "EURO"}, "currency"),
        (valid | {"currency": "XYZ"}, "currency"),
        (valid | {"acquiredOn": "2999-01-01"}, "acquiredOn"),
        (valid | {"minifigureId": "garbage"}, "minifigureId"),
    ):
        refused = (await as_user(gql, owner.headers, ADD, input=bad))["addHolding"]
        assert (refused["code"], refused["field"]) == (
            "NOT_FOUND" if field == "minifigureId" else "INVALID_VALUE",
            field,
        ), bad

    holding = (await as_user(gql, owner.headers, ADD, input=valid))["addHolding"]["holding"]
    assert holding["unitCost"] == 4.5

    # Another user's holding id: not found, and nothing changes.
    for query, variables in ((UPDATE, {"input": {"quantity": 9}}), (REMOVE, {})):
        body = await as_user(gql, other.headers, query, id=holding["id"], **variables)
        result = next(iter(body.values()))
        assert (result["code"], result["field"]) == ("NOT_FOUND", "id")

    updated = (await as_user(gql, owner.headers, UPDATE, id=holding["id"], input={"quantity": 3}))[
        "updateHolding"
    ]
    assert updated["holding"] == {"quantity": 3, "unitCost": 4.5, "currency": "USD"}
    refused = (
        await as_user(gql, owner.headers, UPDATE, id=holding["id"], input={"quantity": None})
    )["updateHolding"]
    assert (refused["code"], refused["field"]) == ("INVALID_VALUE", "quantity")

    removed = (await as_user(gql, owner.headers, REMOVE, id=holding["id"]))["removeHolding"]
    again = (await as_user(gql, owner.headers, REMOVE, id=holding["id"]))["removeHolding"]
    assert removed == {"__typename": "RemoveHoldingSuccess"}
    assert again["code"] == "NOT_FOUND"


NODE = """query($id: ID!) { node(id: $id) {
  __typename id
  ... on Holding { quantity }
} }"""


async def test_node_finds_your_own_holding_and_nobody_elses(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    ids = await add_figures(committed, {"fig_num": "nd0001"})
    await committed.commit()
    owner, other = await sign_up(gql), await sign_up(gql)
    holding = (
        await as_user(
            gql,
            owner.headers,
            ADD,
            input=_holding(
                to_global_id("Minifigure", ids["nd0001"]),
                quantity=4,
                unitCost="1",
                currency="USD",
                acquiredOn="2024-01-01",
            ),
        )
    )["addHolding"]["holding"]

    mine = (await as_user(gql, owner.headers, NODE, id=holding["id"]))["node"]
    theirs = (await as_user(gql, other.headers, NODE, id=holding["id"]))["node"]
    anonymous = (await gql.data(NODE, id=holding["id"]))["node"]

    assert mine == {"__typename": "Holding", "id": holding["id"], "quantity": 4}
    assert theirs is None
    assert anonymous is None


async def test_a_currency_without_rates_and_a_read_without_scope_are_coded_errors(
    gql: GraphQLClient,
) -> None:
    user = await sign_up(gql)
    write_only = (
        await as_user(
            gql,
            user.headers,
            """mutation { createApiKey(input: {name: "w", scopes: [WRITE]}) {
              ... on CreateApiKeySuccess { secret } } }""",
        )
    )["createApiKey"]["secret"]

    for headers, currency, code in (
        (user.headers, "XYZ", "UNKNOWN_CURRENCY"),
        (user.headers, "dollars", "UNKNOWN_CURRENCY"),
        ({"Authorization": f"Bearer {write_only}"}, "USD", "FORBIDDEN"),
    ):
        body = await gql.execute(PORTFOLIO, headers=headers, currency=currency)
        assert [e["extensions"]["code"] for e in body["errors"]] == [code]
