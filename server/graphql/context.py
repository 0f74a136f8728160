"""What every resolver can reach: built once per request (or WebSocket connection)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from arq.connections import ArqRedis
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.collectors.principal import Principal
from server.collectors.services import CollectorServices
from server.graphql.loaders import Loaders
from server.live.hub import LiveHub
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
    # The request may administer the catalog: the operator key, or an ADMIN-scoped credential.
    is_admin: bool = False
    # Who the request acts for (None: anonymous), with its scopes; `principal.identity` is
    # the key for per-caller limits. Set from `Authorization: Bearer ...` (HTTP) or the
    # `connection_init` payload (WebSocket) by server/graphql/collectors/authentication.py.
    principal: Principal | None = None
    # A bearer credential was presented and refused: TOKEN_EXPIRED or INVALID_CREDENTIALS.
    credential_error: str | None = None
    # Accounts, sessions and imports (built once at start-up).
    collectors: CollectorServices | None = None
    # The worker queue, for operations that enqueue jobs.
    job_queue: ArqRedis | None = None
    # Live updates (WebSocket only): the process's hub, the `connection_init` payload
    # (strawberry fills it in), and a way to close the connection with a code.
    live: LiveHub | None = None
    connection_params: dict[str, object] | None = None
    close_connection: Callable[[int, str], Awaitable[None]] | None = None
