"""A hand-built market for the deals and seller bundles tests.

Figure dl0001 sold for 10.00 (USED, three times in the last 30 days, plus an old sale
and an excluded one that must not count) and for 30.00 (NEW). Its current USED asks:
brickowl 5.00 (50 %), bricklink 7.00 (30 %), ebay 8.00 (exactly 20 %), ebay 8.01
(19.9 %), an ebay offer last seen at 9.50 (cheaper before), an excluded lot at 1.00, a
price outlier at 4.00 (a deal all the same: 60 %) and an ask too old to be current.
NEW: 20.00 (33.33 % under 30.00), and a USED ask at 12.00 that only a comparison with
the NEW median would call a deal. dl0002 has an ask and no sales; dl0003 (Castle) sold
for 40.00 and is asked 20.00 (50 %).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from server.models import Condition, ListingKind
from server.store.listings import insert_listings
from tests.factories import listing
from tests.graphql.market_data import add_figures, noon_ago

SOLD, ASK = ListingKind.SOLD, ListingKind.ASK
NEW, USED = Condition.NEW, Condition.USED


@dataclass
class Market:
    ids: dict[str, uuid.UUID]


async def offer(
    session: AsyncSession,
    minifigure_id: uuid.UUID,
    external_id: str,
    price: str,
    *,
    kind: ListingKind = ASK,
    condition: Condition = USED,
    source: str = "ebay",
    at: datetime | None = None,
    **overrides: Any,
) -> None:
    await insert_listings(
        session,
        [
            listing(
                minifigure_id,
                external_id,
                source=source,
                observed_at=at or noon_ago(1),
                kind=kind,
                condition=condition,
                price_usd=Decimal(price),
                **overrides,
            )
        ],
    )


async def build_market(session: AsyncSession) -> Market:
    ids = await add_figures(
        session,
        {"fig_num": "dl0001", "name": "Deal Figure"},
        {"fig_num": "dl0002", "name": "Unsold Figure"},
        {"fig_num": "dl0003", "name": "Castle Knight", "theme": "Castle"},
    )
    a, b, c = ids["dl0001"], ids["dl0002"], ids["dl0003"]
    for days, external_id in ((2, "s1"), (5, "s2"), (20, "s3")):
        await offer(session, a, f"sold-{external_id}", "10.00", kind=SOLD, at=noon_ago(days))
    await offer(session, a, "sold-old", "100.00", kind=SOLD, at=noon_ago(45))
    await offer(session, a, "sold-lot", "1.00", kind=SOLD, excluded_reason="lot")
    await offer(session, a, "sold-new", "30.00", kind=SOLD, condition=NEW, at=noon_ago(3))
    await offer(session, c, "sold-castle", "40.00", kind=SOLD, at=noon_ago(4))

    owl = {"url": "https://www.brickowl.com/store/brick-harbor/deal-figure"}
    await offer(session, a, "owl-1", "5.00", source="brickowl", raw=owl)
    await offer(session, a, "bl-1", "7.00", source="bricklink")
    await offer(session, a, "v1|1|0", "8.00", raw={"itemWebUrl": "https://www.ebay.com/itm/1"})
    await offer(session, a, "v1|2|0", "8.01", raw={"itemWebUrl": "javascript:alert(1)"})
    await offer(session, a, "v1|3|0", "6.00", at=noon_ago(3))
    await offer(session, a, "v1|3|0", "9.50", at=noon_ago(1))
    await offer(session, a, "v1|4|0", "1.00", excluded_reason="lot")
    await offer(session, a, "v1|10|0", "4.00", excluded_reason="outlier")
    await offer(session, a, "v1|5|0", "2.00", at=noon_ago(10))
    await offer(session, a, "v1|6|0", "20.00", condition=NEW)
    await offer(session, a, "v1|7|0", "12.00")  # USED: 30 % under the NEW median only
    await offer(session, b, "v1|8|0", "1.00")
    await offer(session, c, "v1|9|0", "20.00")
    await session.commit()
    return Market(ids)
