"""createAlert, updateAlert, deleteAlert, viewer.alerts and viewer.alertEvents: validation
with codes, and nobody reaching another account's alerts or firings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from server.graphql.node import to_global_id
from tests.alerts.conftest import Price, ingest
from tests.collectors.conftest import as_user, sign_up
from tests.graphql.conftest import GraphQLClient
from tests.graphql.market_data import add_figures
from workers.context import Services

CREATE = """mutation($input: CreateAlertInput!) {
  createAlert(input: $input) {
    __typename
    ... on CreateAlertSuccess {
      webhookSecret
      alert { id kind condition direction price currency changePct window webhookUrl armed
              minifigure { figNum } webhookDeliveries { attempt } }
    }
    ... on MutationError { code field message }
  }
}"""

UPDATE = """mutation($id: ID!, $input: UpdateAlertInput!) {
  updateAlert(id: $id, input: $input) {
    __typename
    ... on AlertSuccess { alert { id price currency changePct window webhookUrl } }
    ... on MutationError { code field message }
  }
}"""

DELETE = """mutation($id: ID!) {
  deleteAlert(id: $id) {
    __typename
    ... on DeleteAlertSuccess { deletedId }
    ... on MutationError { code field }
  }
}"""

ALERTS = """{ viewer { alerts { id direction minifigure { figNum } }
  alertEvents(first: 10) { edges { cursor node { id alertId price changePct webhookStatus
    minifigure { figNum } } } pageInfo { hasNextPage } } } }"""

NODE = """query($id: ID!) { node(id: $id) { __typename id } }"""


@pytest.fixture
async def figure(committed: AsyncSession) -> str:
    ids = await add_figures(committed, {"fig_num": "api001"})
    await committed.commit()
    return to_global_id("Minifigure", ids["api001"])


def _input(figure: str, **values: Any) -> dict[str, Any]:
    return {"minifigureId": figure, "direction": "BELOW", **values}


async def _create(gql: GraphQLClient, headers: dict[str, str], **values: Any) -> dict[str, Any]:
    data = await as_user(gql, headers, CREATE, input=values)
    created: dict[str, Any] = data["createAlert"]
    return created


async def test_price_and_move_rules_are_created_and_listed(gql: GraphQLClient, figure: str) -> None:
    user = await sign_up(gql)
    level = await _create(gql, user.headers, **_input(figure, price="12.5", kind="ASK"))
    assert level["__typename"] == "CreateAlertSuccess", level
    assert level["webhookSecret"].startswith("whsec_")
    assert level["alert"] | {"id": None} == {
        "id": None,
        "kind": "ASK",
        "condition": "USED",
        "direction": "BELOW",
        "price": 12.5,
        "currency": "USD",
        "changePct": None,
        "window": None,
        "webhookUrl": None,
        "armed": True,
        "minifigure": {"figNum": "api001"},
        "webhookDeliveries": [],
    }
    move = await _create(
        gql,
        user.headers,
        **_input(figure, changePct="15", direction="ABOVE", webhookUrl="http://93.184.216.34/hook"),
    )
    assert move["alert"]["window"] == "D7"
    assert move["alert"]["changePct"] == 15.0
    assert move["webhookSecret"] != level["webhookSecret"]

    listed = (await as_user(gql, user.headers, ALERTS))["viewer"]["alerts"]
    assert [a["id"] for a in listed] == [move["alert"]["id"], level["alert"]["id"]]


BAD_RULES: list[tuple[dict[str, Any], str, str]] = [
    ({}, "INVALID_RULE", "changePct"),
    ({"price": "10", "changePct": "5"}, "INVALID_RULE", "price"),
    ({"price": "10", "window": "D30"}, "INVALID_RULE", "window"),
    ({"changePct": "5", "currency": "EUR"}, "INVALID_RULE", "currency"),
    ({"price": "10", "currency": "EURO"}, "UNKNOWN_CURRENCY", "currency"),
    ({"price": "10", "currency": "XQZ"}, "UNKNOWN_CURRENCY", "currency"),
    ({"price": "0"}, "INVALID_VALUE", "price"),
    ({"price": "-3"}, "INVALID_VALUE", "price"),
    ({"changePct": "0"}, "INVALID_VALUE", "changePct"),
    ({"changePct": "1000.01"}, "INVALID_VALUE", "changePct"),
    (
        {"price": "10", "webhookUrl": "ftp://93.184.216.34/x"},
        "INVALID_WEBHOOK_URL",
        "webhookUrl",
    ),
    ({"price": "10", "webhookUrl": "not a url"}, "INVALID_WEBHOOK_URL", "webhookUrl"),
    (
        {"price": "10", "webhookUrl": "http://u:p@93.184.216.34/"},
        "INVALID_WEBHOOK_URL",
        "webhookUrl",
    ),
    (
        {"price": "10", "webhookUrl": "http://127.0.0.1:9/"},
        "WEBHOOK_TARGET_REFUSED",
        "webhookUrl",
    ),
    (
        {"price": "10", "webhookUrl": "http://localhost/"},
        "WEBHOOK_TARGET_REFUSED",
        "webhookUrl",
    ),
    ({"price": "10", "webhookUrl": "http://[::1]/"}, "WEBHOOK_TARGET_REFUSED", "webhookUrl"),
    (
        {"price": "10", "webhookUrl": "http://169.254.169.254/"},
        "WEBHOOK_TARGET_REFUSED",
        "webhookUrl",
    ),
    (
        {"price": "10", "webhookUrl": "https://10.1.2.3/"},
        "WEBHOOK_TARGET_REFUSED",
        "webhookUrl",
    ),
    (
        {"price": "10", "webhookUrl": "http://[::ffff:192.168.0.1]/"},
        "WEBHOOK_TARGET_REFUSED",
        "webhookUrl",
    ),
    ({"price": "10", "webhookUrl": "http://0.0.0.0/"}, "WEBHOOK_TARGET_REFUSED", "webhookUrl"),
]


async def test_bad_rules_are_refused_with_a_code(gql: GraphQLClient, figure: str) -> None:
    user = await sign_up(gql)
    for values, code, field in BAD_RULES:
        refused = await _create(gql, user.headers, **_input(figure, **values))
        assert (refused["__typename"], refused["code"], refused["field"]) == (
            "AlertError",
            code,
            field,
        ), values
    assert (await as_user(gql, user.headers, ALERTS))["viewer"]["alerts"] == []


async def test_an_unknown_figure_and_anonymous_callers_are_refused(
    gql: GraphQLClient, figure: str
) -> None:
    user = await sign_up(gql)
    missing = await _create(
        gql, user.headers, **_input(to_global_id("Minifigure", "0" * 32), price="1")
    )
    assert (missing["code"], missing["field"]) == ("NOT_FOUND", "minifigureId")
    anonymous = (await gql.data(CREATE, input=_input(figure, price="1")))["createAlert"]
    assert anonymous["code"] == "UNAUTHENTICATED"


async def test_an_update_switches_the_rule_and_rearms_it(gql: GraphQLClient, figure: str) -> None:
    user = await sign_up(gql)
    alert = (await _create(gql, user.headers, **_input(figure, price="10", currency="USD")))[
        "alert"
    ]
    moved = await as_user(
        gql,
        user.headers,
        UPDATE,
        id=alert["id"],
        input={"price": None, "changePct": "20", "window": "D30"},
    )
    assert moved["updateAlert"]["alert"] == {
        "id": alert["id"],
        "price": None,
        "currency": None,
        "changePct": 20.0,
        "window": "D30",
        "webhookUrl": None,
    }
    both = await as_user(gql, user.headers, UPDATE, id=alert["id"], input={"price": "5"})
    assert both["updateAlert"]["code"] == "INVALID_RULE"


async def test_nobody_reaches_another_accounts_alerts_or_firings(
    gql: GraphQLClient, figure: str, services: Services
) -> None:
    owner, other = await sign_up(gql), await sign_up(gql)
    alert = (await _create(gql, owner.headers, **_input(figure, price="50")))["alert"]
    await ingest(services, [Price("api001", "40.00", datetime.now(UTC) - timedelta(minutes=1))])

    mine = (await as_user(gql, owner.headers, ALERTS))["viewer"]
    (edge,) = mine["alertEvents"]["edges"]
    assert edge["node"]["alertId"] == alert["id"]
    assert edge["node"]["price"] == 40.0
    assert edge["node"]["webhookStatus"] is None
    event_id = edge["node"]["id"]
    assert (await as_user(gql, owner.headers, NODE, id=event_id))["node"]["id"] == event_id
    assert (await as_user(gql, owner.headers, NODE, id=alert["id"]))["node"]["id"] == alert["id"]

    theirs = (await as_user(gql, other.headers, ALERTS))["viewer"]
    assert theirs["alerts"] == []
    assert theirs["alertEvents"]["edges"] == []
    for object_id in (alert["id"], event_id):
        assert (await as_user(gql, other.headers, NODE, id=object_id))["node"] is None
    updated = await as_user(gql, other.headers, UPDATE, id=alert["id"], input={"price": "1"})
    assert (updated["updateAlert"]["code"], updated["updateAlert"]["field"]) == ("NOT_FOUND", "id")
    deleted = await as_user(gql, other.headers, DELETE, id=alert["id"])
    assert deleted["deleteAlert"]["code"] == "NOT_FOUND"
    assert (await gql.data(NODE, id=alert["id"]))["node"] is None

    gone = await as_user(gql, owner.headers, DELETE, id=alert["id"])
    assert gone["deleteAlert"] == {"__typename": "DeleteAlertSuccess", "deletedId": alert["id"]}
    after = (await as_user(gql, owner.headers, ALERTS))["viewer"]
    assert after["alerts"] == []
    assert after["alertEvents"]["edges"] == []
