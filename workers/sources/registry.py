"""Which price sources exist, which are configured, and building their adapters."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

import httpx
from redis.asyncio import Redis

from server.models import DataSource
from server.redaction import secret_values
from server.settings import Settings
from workers.pipeline.observation import Observation
from workers.sources import bricklink, brickowl, demo, ebay
from workers.sources.errors import SourceNotConfiguredError
from workers.sources.etiquette import CircuitBreaker, DailyQuota, Etiquette, TokenBucket
from workers.sources.http import SourceClient
from workers.sources.oauth1 import OAuth1Credentials

# httpx logs every request URL at INFO; BrickOwl's key travels in the query string.
logging.getLogger("httpx").setLevel(logging.WARNING)

REQUESTS_PER_FIGURE = {
    bricklink.SOURCE: bricklink.REQUESTS_PER_FIGURE,
    ebay.SOURCE: ebay.REQUESTS_PER_FIGURE,
    brickowl.SOURCE: brickowl.REQUESTS_PER_FIGURE,
}
PRICE_SOURCES = (*REQUESTS_PER_FIGURE, demo.SOURCE)
DEFAULT_REQUESTS_PER_MINUTE = 60


class PriceSource(Protocol):
    async def fetch(self, fig_num: str, *, now: datetime) -> Sequence[Observation]: ...


def _bricklink_credentials(settings: Settings) -> OAuth1Credentials | None:
    key, secret = settings.bricklink_consumer_key, settings.bricklink_consumer_secret
    token, token_secret = settings.bricklink_token_value, settings.bricklink_token_secret
    if key is None or secret is None or token is None or token_secret is None:
        return None
    return OAuth1Credentials(key, secret, token, token_secret)


def is_configured(code: str, settings: Settings) -> bool:
    match code:
        case bricklink.SOURCE:
            return _bricklink_credentials(settings) is not None
        case ebay.SOURCE:
            return settings.ebay_client_id is not None and settings.ebay_client_secret is not None
        case brickowl.SOURCE:
            return settings.brickowl_api_key is not None
        case demo.SOURCE:
            return True
    return False


def etiquette_for(row: DataSource, redis: Redis, namespace: str) -> Etiquette:
    per_minute = row.requests_per_minute or DEFAULT_REQUESTS_PER_MINUTE
    return Etiquette(
        bucket=TokenBucket(
            redis,
            f"{namespace}:bucket:{row.code}",
            rate=per_minute / 60,
            capacity=max(1, per_minute // 6),
        ),
        breaker=CircuitBreaker(redis, f"{namespace}:breaker:{row.code}", row.code),
        quota=DailyQuota(redis, namespace, row.code, row.daily_quota),
    )


def build_price_source(
    code: str,
    settings: Settings,
    http: httpx.AsyncClient,
    etiquette: Etiquette,
    boids: brickowl.BoidStore,
) -> PriceSource:
    client = SourceClient(code, http, etiquette, secrets=secret_values(settings))
    credentials = _bricklink_credentials(settings)
    if code == bricklink.SOURCE and credentials is not None:
        return bricklink.BrickLink(
            client, credentials, base_url=settings.bricklink_base_url or bricklink.API_URL
        )
    ebay_id, ebay_secret = settings.ebay_client_id, settings.ebay_client_secret
    if code == ebay.SOURCE and ebay_id is not None and ebay_secret is not None:
        base_url = settings.ebay_base_url or ebay.API_URL
        auth = ebay.EbayAuth(client, ebay_id, ebay_secret, base_url=base_url)
        return ebay.Ebay(client, auth, base_url=base_url, max_pages=settings.ebay_max_pages)
    if code == brickowl.SOURCE and settings.brickowl_api_key is not None:
        return brickowl.BrickOwl(
            client,
            settings.brickowl_api_key,
            boids,
            base_url=settings.brickowl_base_url or brickowl.API_URL,
        )
    if code == demo.SOURCE:
        return demo.DemoSource(demo.demo_catalog())
    raise SourceNotConfiguredError(code, "no adapter, or its credentials are not set (README)")
