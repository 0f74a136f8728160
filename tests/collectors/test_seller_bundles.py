"""viewer.sellerBundles: sellers covering several watchlist items, against hand-built asks."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from server.graphql.node import to_global_id
from tests.collectors.conftest import as_user, sign_up
from tests.deals_market import NEW, offer
from tests.graphql.conftest import GraphQLClient, StatementCounter
from tests.graphql.market_data import add_figures, noon_ago

ADD = """mutation($id: ID!, $condition: Condition!) {
  addToWatchlist(input: {minifigureId: $id, condition: $condition}) { __typename }
}"""

BUNDLES = """query($first: Int!) { viewer { sellerBundles(first: $first) {
  source sellerName sellerCountry figuresCovered total
  items { minifigure { figNum } condition price url }
} } }"""


async def _market(committed: AsyncSession) -> dict[str, str]:
    ids = await add_figures(
        committed, *[{"fig_num": f"bd000{i}", "name": f"Bundled {i}"} for i in (1, 2, 3, 4)]
    )
    a, b, c, unwatched = (ids[f"bd000{i}"] for i in (1, 2, 3, 4))

    async def ask(
        minifigure: uuid.UUID, external_id: str, price: str, seller: str, **kw: Any
    ) -> None:
        await offer(committed, minifigure, external_id, price, seller_name=seller, **kw)

    # brick_barn (ebay): A used 8.00 (and a dearer 9.00), C used 25.00, A new 20.00.
    await ask(a, "bb-1", "8.00", "brick_barn", seller_country="US")
    await ask(a, "bb-2", "9.00", "brick_barn")
    await ask(c, "bb-3", "25.00", "brick_barn")
    await ask(a, "bb-4", "20.00", "brick_barn", condition=NEW)
    # Brick Harbor (brickowl): A, B and C used: 6 + 3 + 30 = 39.00.
    owl = {"source": "brickowl"}
    await ask(a, "bh-1", "6.00", "Brick Harbor", **owl, raw={"url": "https://brickowl.test/1"})
    await ask(b, "bh-2", "3.00", "Brick Harbor", **owl)
    await ask(c, "bh-3", "30.00", "Brick Harbor", **owl)
    # cheap_shop: A and B used, 9.00 in all; B new is not watched.
    await ask(a, "cs-1", "5.00", "cheap_shop")
    await ask(b, "cs-2", "4.00", "cheap_shop")
    await ask(b, "cs-3", "1.00", "cheap_shop", condition=NEW)
    # Not bundles: one item only; an unwatched figure; stale asks; an excluded ask;
    # the same name on another source is another shop.
    await ask(a, "so-1", "1.00", "solo")
    await ask(unwatched, "so-2", "1.00", "solo")
    await ask(a, "old-1", "2.00", "old_stock", at=noon_ago(10))
    await ask(b, "old-2", "2.00", "old_stock", at=noon_ago(10))
    await ask(c, "lot-1", "2.00", "solo", excluded_reason="lot")
    await ask(b, "bl-1", "2.00", "solo", source="bricklink")
    await committed.commit()
    return {
        "a": to_global_id("Minifigure", a),
        "b": to_global_id("Minifigure", b),
        "c": to_global_id("Minifigure", c),
    }


async def test_bundles_rank_by_items_covered_then_total(
    gql: GraphQLClient, committed: AsyncSession, statements: StatementCounter
) -> None:
    figures = await _market(committed)
    user, other = await sign_up(gql), await sign_up(gql)
    for key, condition in (("a", "USED"), ("b", "USED"), ("c", "USED"), ("a", "NEW")):
        await as_user(gql, user.headers, ADD, id=figures[key], condition=condition)
    await as_user(gql, other.headers, ADD, id=figures["a"], condition="USED")

    statements.reset()
    bundles = (await as_user(gql, user.headers, BUNDLES, first=10))["viewer"]["sellerBundles"]

    assert [(b["sellerName"], b["figuresCovered"], b["total"]) for b in bundles] == [
        ("Brick Harbor", 3, 39.0),
        ("brick_barn", 3, 53.0),
        ("cheap_shop", 2, 9.0),
    ]
    assert (bundles[1]["source"], bundles[1]["sellerCountry"]) == ("ebay", "US")
    assert [
        (i["minifigure"]["figNum"], i["condition"], i["price"]) for i in bundles[1]["items"]
    ] == [("bd0001", "USED", 8.0), ("bd0001", "NEW", 20.0), ("bd0003", "USED", 25.0)]
    assert [i["url"] for i in bundles[0]["items"]] == [None, "https://brickowl.test/1", None]
    # The bundles in one statement, their minifigures in one more (plus the credential).
    counted = [s for s in statements.statements if "price_listings" in s or "minifigures" in s]
    assert len(counted) == 2

    top = (await as_user(gql, user.headers, BUNDLES, first=1))["viewer"]["sellerBundles"]
    assert [b["sellerName"] for b in top] == ["Brick Harbor"]
    # One watched item makes no bundle.
    assert (await as_user(gql, other.headers, BUNDLES, first=10))["viewer"]["sellerBundles"] == []


async def test_bundles_need_an_account_and_a_sane_first(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    user = await sign_up(gql)
    too_many = await gql.execute(BUNDLES, headers=user.headers, first=21)
    assert [e["extensions"]["code"] for e in too_many["errors"]] == ["INVALID_PAGE_SIZE"]
    anonymous = await gql.data(BUNDLES, first=5)
    assert anonymous == {"viewer": None}
