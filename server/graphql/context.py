"""What every resolver can reach: built once per request (or WebSocket connection)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from arq.connections import ArqRedis
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.graphql.loaders import Loaders
from server.graphql.trusted import TrustedDocuments
from server.live.hub import LiveHub
from server.ratelimit import RateLimitSlot
from server.settings import Settings


@dataclass(slots=True)
class Context:
    request_id: str
    settings: Settings
    session_factory: async_sessionmaker[AsyncSession]
    redis: Redis
    loaders: Loaders
    # pg_trgm is installed: search forgives typos (found once at start-up).
    typo_tolerant_search: bool = False
    # The request carried the admin API key.
    is_admin: bool = False
    # The worker queue, for operations that enqueue jobs.
    job_queue: ArqRedis | None = None
    # Live updates (WebSocket only): the process's hub, the `connection_init` payload
    # (strawberry fills it in), and a way to close the connection with a code.
    live: LiveHub | None = None
    connection_params: dict[str, object] | None = None
    close_connection: Callable[[int, str], Awaitable[None]] | None = None
    # The caller's rate-limit bucket; operations draw their cost from it (None: unlimited).
    rate_limit: RateLimitSlot | None = None
    # Registered operations (trusted documents); None: no manifest in use.
    trusted_documents: TrustedDocuments | None = None
