"""The collectors' services, built once at start-up and reached through the GraphQL context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.collectors.authenticate import Authenticator
from server.collectors.brickset import BricksetClient
from server.collectors.sessions import Sessions
from server.collectors.tokens import AccessTokens
from server.settings import Settings


@dataclass(frozen=True, slots=True)
class CollectorServices:
    authenticator: Authenticator
    sessions: Sessions
    brickset: BricksetClient
    http: httpx.AsyncClient

    async def aclose(self) -> None:
        await self.http.aclose()


def create_collector_services(
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
    http_transport: httpx.AsyncBaseTransport | None = None,
) -> CollectorServices:
    """`http_transport` replaces the network for outside services (Brickset)."""
    tokens = AccessTokens(
        settings.access_token_key(), timedelta(seconds=settings.access_token_ttl_s)
    )
    http = httpx.AsyncClient(transport=http_transport)
    return CollectorServices(
        authenticator=Authenticator(settings, tokens, session_factory),
        sessions=Sessions(tokens, timedelta(days=settings.refresh_token_ttl_days)),
        brickset=BricksetClient(http, settings.brickset_api_url),
        http=http,
    )
