"""What every resolver can reach: built once per request (or WebSocket connection)."""

from __future__ import annotations

from dataclasses import dataclass

from arq.connections import ArqRedis
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.collectors.principal import Principal
from server.collectors.services import CollectorServices
from server.graphql.json_pages import Lookahead
from server.graphql.loaders import Loaders
from server.graphql.trusted import TrustedDocuments
from server.live.hub import LiveHub
from server.ratelimit import RateLimitSlot
from server.settings import Settings
from server.store.candles import CandleSource


@dataclass(slots=True)
class Context:
    request_id: str
    settings: Settings
    session_factory: async_sessionmaker[AsyncSession]
    redis: Redis
    loaders: Loaders
    # pg_trgm is installed: search forgives typos (found once at start-up).
    typo_tolerant_search: bool = False
    # Where candles come from (found once at start-up); live executions build loaders with it.
    candle_source: CandleSource = CandleSource.RAW_LISTINGS
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
    # Live updates (WebSocket only): the process's hub and the `connection_init` payload
    # (strawberry fills it in).
    live: LiveHub | None = None
    connection_params: dict[str, object] | None = None
    # The caller's rate-limit bucket; operations draw their cost from it (None: unlimited).
    rate_limit: RateLimitSlot | None = None
    # The answer is encoded by the HTTP endpoint, which splices connection pages built as
    # JSON in SQL (server/graphql/json_pages.py); other transports get ordinary values.
    json_pages: bool = False
    # Set by the execution when `json_pages` holds.
    lookahead: Lookahead | None = None
    # Registered operations (trusted documents); None: no manifest in use.
    trusted_documents: TrustedDocuments | None = None
