"""The ASGI application: GraphQL at /graphql, the web frontend at /."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

import httpx
from arq.connections import ArqRedis
from redis.asyncio import Redis
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET, UnsetType

from server import metrics
from server.body_limit import BodySizeLimitMiddleware
from server.collectors.services import CollectorServices, create_collector_services
from server.db import create_engine, create_session_factory
from server.events import EventBus
from server.graphql.auth import InvalidApiKeyError
from server.graphql.collectors.authentication import identify_connection, identify_request
from server.graphql.context import Context
from server.graphql.http import GraphQLOverHTTP
from server.graphql.loaders import create_loaders
from server.graphql.schema import schema
from server.graphql.trusted import DEFAULT_MANIFEST, TrustedDocuments
from server.graphql.websocket import KeepAliveTransportWSHandler
from server.health import check_health
from server.live.hub import LiveHub
from server.live.minifigures import MinifigureCache
from server.operations import (
    admin_only,
    metrics_endpoint,
    serve_metrics_port,
    served_elsewhere,
)
from server.page_meta import figure_describer
from server.ratelimit import RateLimiter, RateLimitSlot, connection_allowed
from server.redis_client import create_redis
from server.request_id import RequestIdMiddleware
from server.settings import Settings
from server.spa import SinglePageApp, has_build
from server.store.candles import CandleSource, detect_candle_source
from server.store.catalog_queries import has_trigram_search

FRONTEND_DIST = Path(__file__).resolve().parent.parent / "frontend" / "dist"

_PLACEHOLDER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Minifigure Stonks</title></head>
<body><h1>Minifigure Stonks</h1>
<p>The API is running: send GraphQL queries to <a href="/graphql">/graphql</a>.</p>
<p>The web frontend has not been built: run <code>make frontend</code> (Node.js 20+).</p>
</body></html>
"""


@dataclass(slots=True)
class Resources:
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    redis: Redis
    job_queue: ArqRedis
    hub: LiveHub
    rate_limiter: RateLimiter
    trusted_documents: TrustedDocuments
    collectors: CollectorServices
    typo_tolerant_search: bool = False
    candle_source: CandleSource = CandleSource.RAW_LISTINGS


class StonksGraphQL(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = KeepAliveTransportWSHandler

    def __init__(self, settings: Settings, resources: Resources) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.is_development else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(seconds=settings.live_connection_init_timeout_s),
            keep_alive=True,
            keep_alive_interval=settings.live_keep_alive_s,
            max_subscriptions_per_connection=settings.live_subscriptions_per_connection,
            allowed_origins=settings.allowed_origins,
        )
        self.settings = settings
        self.resources = resources
        self.http = GraphQLOverHTTP(
            schema,
            settings,
            context=lambda request: self.get_context(request, None),
            ide=self.render_graphql_ide if settings.is_development else None,
            trusted=resources.trusted_documents,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # HTTP follows the GraphQL-over-HTTP spec (server/graphql/http.py); WebSocket
        # stays Strawberry's graphql-transport-ws.
        if scope["type"] == "http":
            response = await self.http(Request(scope, receive))
            await response(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    async def get_context(self, request: Request | WebSocket, response: object) -> Context:
        websocket = request if isinstance(request, WebSocket) else None
        context = Context(
            request_id=request.state.request_id,
            settings=self.settings,
            session_factory=self.resources.session_factory,
            redis=self.resources.redis,
            loaders=create_loaders(self.resources.session_factory, self.resources.candle_source),
            typo_tolerant_search=self.resources.typo_tolerant_search,
            candle_source=self.resources.candle_source,
            job_queue=self.resources.job_queue,
            live=self.resources.hub if websocket else None,
            trusted_documents=self.resources.trusted_documents,
            collectors=self.resources.collectors,
        )
        if websocket is None:
            await identify_request(context, request.headers.get("authorization"))
        ip = request.client.host if request.client else None
        context.rate_limit = RateLimitSlot(
            self.resources.rate_limiter,
            self.resources.rate_limiter.client(identity=_identity(context), ip=ip),
        )
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        try:
            await identify_connection(context)
        except InvalidApiKeyError:
            raise ConnectionRejectionError from None  # closes with 4403 Forbidden
        if not await connection_allowed(context, _identity(context), self.resources.rate_limiter):
            raise ConnectionRejectionError({"code": "RATE_LIMITED"})
        unset: UnsetType = UNSET
        return unset


def _identity(context: Context) -> str | None:
    """Whose rate-limit bucket the request draws from: a verified credential's own, or
    (None) its IP's."""
    return context.principal.identity if context.principal is not None else None


def _job_queue(settings: Settings, redis: Redis) -> ArqRedis:
    """Where mutations enqueue worker jobs; shares the app's Redis connection pool."""
    return ArqRedis(redis.connection_pool, default_queue_name=settings.worker_queue_name)


def create_app(
    settings: Settings, *, http_transport: httpx.AsyncBaseTransport | None = None
) -> Starlette:
    """`http_transport` replaces the network for outside services the API calls (Brickset)."""
    engine = create_engine(settings)
    metrics.watch_pool(engine)
    session_factory = create_session_factory(engine)
    redis = create_redis(settings)
    resources = Resources(
        engine=engine,
        session_factory=session_factory,
        redis=redis,
        job_queue=_job_queue(settings, redis),
        rate_limiter=RateLimiter(redis, settings),
        trusted_documents=TrustedDocuments.load(
            settings.trusted_documents_file or DEFAULT_MANIFEST,
            only=settings.trusted_documents_only,
        ),
        hub=LiveHub(
            EventBus(redis, namespace=settings.redis_namespace),
            MinifigureCache(session_factory),
            queue_capacity=settings.live_queue_size,
            ping_interval_s=settings.live_keep_alive_s,
        ),
        collectors=create_collector_services(settings, session_factory, http_transport),
    )
    graphql_app = StonksGraphQL(settings, resources)

    async def healthz(request: Request) -> Response:
        report = await check_health(
            resources.session_factory, resources.redis, timeout_s=settings.health_timeout_s
        )
        body = {"database": report.database, "redis": report.redis}
        return JSONResponse(body, status_code=200 if report.ok else 503)

    async def live_stats(request: Request) -> Response:
        return JSONResponse(asdict(resources.hub.stats()))

    async def placeholder(request: Request) -> Response:
        return HTMLResponse(_PLACEHOLDER_PAGE)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stop_metrics_port = serve_metrics_port(settings)
        await resources.hub.start()
        try:
            async with resources.session_factory() as session:
                resources.typo_tolerant_search = await has_trigram_search(session)
                resources.candle_source = await detect_candle_source(session)
        except (SQLAlchemyError, OSError):
            # Start anyway (health reports the database); search falls back to full text,
            # candles to raw listings.
            resources.typo_tolerant_search = False
        try:
            yield
        finally:
            await resources.job_queue.aclose()
            await resources.collectors.aclose()
            await resources.hub.stop()
            await resources.redis.aclose()
            await resources.engine.dispose()
            if stop_metrics_port is not None:
                stop_metrics_port()

    # With a separate metrics port, /metrics is served there and not here.
    metrics_route = (
        admin_only(settings, metrics_endpoint)
        if settings.metrics_port is None
        else served_elsewhere(settings.metrics_port)
    )

    # Last among the routes: /graphql, /healthz and /live/stats match first.
    frontend = (
        Mount("/", SinglePageApp(FRONTEND_DIST, figure_describer(session_factory)))
        if has_build(FRONTEND_DIST)
        else Route("/", placeholder)
    )
    app = Starlette(
        routes=[
            # Every method: GraphQLOverHTTP answers the others with a coded 405.
            Route("/graphql", graphql_app),
            WebSocketRoute("/graphql", graphql_app),
            Route("/healthz", healthz),
            Route("/live/stats", admin_only(settings, live_stats)),
            Route("/metrics", metrics_route),
            frontend,
        ],
        middleware=[
            Middleware(RequestIdMiddleware),
            Middleware(BodySizeLimitMiddleware, max_bytes=settings.max_request_bytes),
        ],
        lifespan=lifespan,
    )
    # Tests reach the engine here to count the statements a request runs.
    app.state.resources = resources
    return app
