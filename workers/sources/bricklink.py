"""BrickLink price guide: GET /items/MINIFIG/{no}/price, OAuth 1.0a signed.

Four requests per minifigure: guide_type sold|stock x new_or_used N|U. Every
`price_detail` row is stored: sold rows as SOLD at their `date_ordered`; stock rows
(current lots, no date) as ASK observed on the UTC day of the fetch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from workers.pipeline.observation import Observation
from workers.sources.errors import MalformedResponseError, SourceRejectedError
from workers.sources.http import SourceClient
from workers.sources.oauth1 import OAuth1Credentials, authorization_header
from workers.sources.payload import content_ids, decimal_of, field, json_of, timestamp_of

SOURCE = "bricklink"
API_URL = "https://api.bricklink.com/api/store/v1"
GUIDE_TYPES = ("sold", "stock")
CONDITIONS = ("N", "U")
REQUESTS_PER_FIGURE = len(GUIDE_TYPES) * len(CONDITIONS)


@dataclass(frozen=True, slots=True)
class PriceGuideRequest:
    fig_num: str
    guide_type: str
    new_or_used: str
    currency_code: str = "USD"

    @property
    def params(self) -> dict[str, str]:
        return {
            "guide_type": self.guide_type,
            "new_or_used": self.new_or_used,
            "currency_code": self.currency_code,
        }


def parse_price_guide(
    payload: Any, request: PriceGuideRequest, *, fetched_at: datetime
) -> list[Observation]:
    """Pure: one price guide response -> observations (raises MalformedResponseError)."""
    meta = field(SOURCE, payload, "meta", dict)
    code = field(SOURCE, meta, "code", int)
    if code != 200:
        message = f"{meta.get('message', '')} {meta.get('description', '')}".strip()
        raise SourceRejectedError(SOURCE, code, message)
    data = field(SOURCE, payload, "data", dict)
    currency = field(SOURCE, data, "currency_code", str)
    new_or_used = field(SOURCE, data, "new_or_used", str)
    rows = field(SOURCE, data, "price_detail", list)
    if not all(isinstance(row, dict) for row in rows):
        raise MalformedResponseError(SOURCE, "price_detail holds a non-object")
    fig_num = request.fig_num
    prefix = f"{fig_num}:{request.guide_type}:{new_or_used}"
    ids = content_ids(prefix, rows)
    sighting = datetime.combine(fetched_at.astimezone(UTC).date(), time(), UTC)
    observations = []
    for row, external_id in zip(rows, ids, strict=True):
        quantity = field(SOURCE, row, "quantity", int)
        price = decimal_of(
            SOURCE, field(SOURCE, row, "unit_price", (str, int, float)), "unit_price"
        )
        sold = request.guide_type == "sold"
        observations.append(
            Observation(
                source=SOURCE,
                external_id=external_id,
                fig_num=fig_num,
                observed_at=(
                    timestamp_of(SOURCE, row.get("date_ordered"), "date_ordered")
                    if sold
                    else sighting
                ),
                kind="SOLD" if sold else "ASK",
                condition=new_or_used,
                price=price,
                currency=currency,
                quantity=quantity,
                seller_country=row.get("seller_country_code") if sold else None,
                raw={"guide_type": request.guide_type, **row},
            )
        )
    return observations


class BrickLink:
    def __init__(
        self,
        client: SourceClient,
        credentials: OAuth1Credentials,
        *,
        base_url: str = API_URL,
        currency_code: str = "USD",
    ) -> None:
        self.client = client
        self.credentials = credentials
        self.base_url = base_url
        self.currency_code = currency_code

    async def price_guide(self, request: PriceGuideRequest) -> Any:
        url = f"{self.base_url}/items/MINIFIG/{request.fig_num}/price"
        header = authorization_header("GET", url, request.params, self.credentials)
        response = await self.client.request(
            "GET", url, params=request.params, headers={"Authorization": header}
        )
        return json_of(SOURCE, response)

    async def fetch(self, fig_num: str, *, now: datetime) -> Sequence[Observation]:
        """All four guides; any failure fails the whole fetch (nothing half-stored)."""
        observations: list[Observation] = []
        for guide_type in GUIDE_TYPES:
            for new_or_used in CONDITIONS:
                request = PriceGuideRequest(fig_num, guide_type, new_or_used, self.currency_code)
                payload = await self.price_guide(request)
                observations.extend(parse_price_guide(payload, request, fetched_at=now))
        return observations
