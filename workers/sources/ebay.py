"""eBay Browse API: item_summary/search in the LEGO minifigure category (asking prices).

An application token (client-credentials grant) is fetched from the OAuth endpoint
and reused until shortly before it expires. Results are read page by page, following
the response's `next` link, up to `max_pages`
(EBAY_MAX_PAGES). Titles are classified by the pipeline:
lots, parts-only, customs, keychains and big figs are stored but excluded, and every
hit is scored against the figure (workers/pipeline/match.py). A listing seen on a UTC
day is one observation of that day, however often it is fetched.
"""

from __future__ import annotations

import time as clock_time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any

import httpx
from pydantic import SecretStr

from workers.pipeline.observation import Observation
from workers.sources.errors import MalformedResponseError
from workers.sources.http import SourceClient
from workers.sources.payload import decimal_of, field, json_of

SOURCE = "ebay"
API_URL = "https://api.ebay.com"
TOKEN_PATH = "/identity/v1/oauth2/token"  # noqa: S105 - a URL path, not a secret
SEARCH_PATH = "/buy/browse/v1/item_summary/search"
SCOPE = "https://api.ebay.com/oauth/api_scope"
MINIFIGURE_CATEGORY = "19001"
# Renew a little early: a token that expires in flight fails the request.
TOKEN_MARGIN_S = 60
REQUESTS_PER_FIGURE = 1


@dataclass(slots=True)
class AppToken:
    value: str
    expires_at: float


class EbayAuth:
    """The client-credentials token, cached until expiry."""

    def __init__(
        self,
        client: SourceClient,
        client_id: SecretStr,
        client_secret: SecretStr,
        *,
        base_url: str = API_URL,
        clock: Callable[[], float] = clock_time.monotonic,
    ) -> None:
        self.client = client
        self.client_id = client_id
        self.client_secret = client_secret
        self.base_url = base_url
        self.clock = clock
        self._token: AppToken | None = None

    async def token(self) -> str:
        if self._token is not None and self.clock() < self._token.expires_at:
            return self._token.value
        response = await self.client.request(
            "POST",
            f"{self.base_url}{TOKEN_PATH}",
            data={"grant_type": "client_credentials", "scope": SCOPE},
            auth=httpx.BasicAuth(
                self.client_id.get_secret_value(), self.client_secret.get_secret_value()
            ),
        )
        body = json_of(SOURCE, response)
        value: str = field(SOURCE, body, "access_token", str)
        lifetime = field(SOURCE, body, "expires_in", int)
        self._token = AppToken(value, self.clock() + max(0, lifetime - TOKEN_MARGIN_S))
        return value


def next_page(payload: Any) -> str | None:
    """The `next` link of a search response, if there are more results."""
    following = payload.get("next") if isinstance(payload, dict) else None
    if following is not None and not isinstance(following, str):
        raise MalformedResponseError(SOURCE, "next is not a URL")
    return following


def parse_search(payload: Any, *, fig_num: str, fetched_at: datetime) -> list[Observation]:
    """Pure: a search response -> ASK observations for `fig_num` (the search term)."""
    if not isinstance(payload, dict):
        raise MalformedResponseError(SOURCE, "response is not an object")
    items = payload.get("itemSummaries", [])
    if not isinstance(items, list):
        raise MalformedResponseError(SOURCE, "itemSummaries is not a list")
    # An ask seen several times a day is one observation of that day.
    sighting = datetime.combine(fetched_at.astimezone(UTC).date(), time(), UTC)
    observations = []
    for item in items:
        price = field(SOURCE, item, "price", dict)
        shipping = _shipping(item)
        seller = item.get("seller") or {}
        location = item.get("itemLocation") or {}
        observations.append(
            Observation(
                source=SOURCE,
                external_id=field(SOURCE, item, "itemId", str),
                fig_num=fig_num,
                observed_at=sighting,
                kind="ASK",
                condition=str(item.get("condition", "")),
                price=decimal_of(SOURCE, field(SOURCE, price, "value", str), "price.value"),
                currency=field(SOURCE, price, "currency", str),
                shipping=shipping,
                seller_name=seller.get("username"),
                seller_country=location.get("country"),
                title=field(SOURCE, item, "title", str),
                raw=item,
            )
        )
    return observations


def _shipping(item: dict[str, Any]) -> Decimal | None:
    options = item.get("shippingOptions") or []
    for option in options:
        cost = option.get("shippingCost") if isinstance(option, dict) else None
        if isinstance(cost, dict) and "value" in cost:
            return decimal_of(SOURCE, cost["value"], "shippingCost.value")
    return None


class Ebay:
    def __init__(
        self,
        client: SourceClient,
        auth: EbayAuth,
        *,
        base_url: str = API_URL,
        limit: int = 100,
        max_pages: int,
    ) -> None:
        self.client = client
        self.auth = auth
        self.base_url = base_url
        self.limit = limit
        self.max_pages = max_pages

    async def fetch(self, fig_num: str, *, now: datetime) -> Sequence[Observation]:
        token = await self.auth.token()
        headers = {"Authorization": f"Bearer {token}", "X-EBAY-C-MARKETPLACE-ID": "EBAY_US"}
        response = await self.client.request(
            "GET",
            f"{self.base_url}{SEARCH_PATH}",
            params={
                "q": f"lego {fig_num}",
                "category_ids": MINIFIGURE_CATEGORY,
                "limit": str(self.limit),
                "filter": "buyingOptions:{FIXED_PRICE}",
            },
            headers=headers,
        )
        observations: list[Observation] = []
        for page in range(1, self.max_pages + 1):
            payload = json_of(SOURCE, response)
            observations += parse_search(payload, fig_num=fig_num, fetched_at=now)
            following = next_page(payload)
            if following is None or page == self.max_pages:
                break
            # The token goes only to eBay's own API, whatever a response links to.
            if not following.startswith(f"{self.base_url}{SEARCH_PATH}"):
                raise MalformedResponseError(SOURCE, "next links outside the search endpoint")
            response = await self.client.request("GET", following, headers=headers)
        return observations
