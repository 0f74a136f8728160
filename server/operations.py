"""What operators read: Prometheus metrics and the live hub's statistics, kept from the public.

On the main port both need the admin key (`Authorization: Bearer <ADMIN_API_KEY>`).
With METRICS_PORT set, each API and worker process serves its metrics on that separate
port instead (bind it to an address only the scraper reaches), and /metrics leaves the
main port.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from prometheus_client import start_http_server
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server import metrics
from server.graphql.auth import is_operator
from server.settings import Settings

logger = logging.getLogger(__name__)

Endpoint = Callable[[Request], Awaitable[Response]]


def admin_only(settings: Settings, endpoint: Endpoint) -> Endpoint:
    async def guarded(request: Request) -> Response:
        if is_operator(request.headers.get("authorization"), settings):
            return await endpoint(request)
        return JSONResponse(
            {"error": "UNAUTHORIZED", "message": "send Authorization: Bearer <ADMIN_API_KEY>"},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )

    return guarded


async def metrics_endpoint(request: Request) -> Response:
    return Response(metrics.exposition(), media_type=metrics.CONTENT_TYPE)


def served_elsewhere(port: int) -> Endpoint:
    """What the main port answers when metrics have their own port (not the SPA page)."""

    async def not_here(request: Request) -> Response:
        return JSONResponse(
            {"error": "NOT_FOUND", "message": f"metrics are served on port {port}"},
            status_code=404,
        )

    return not_here


def serve_metrics_port(settings: Settings) -> Callable[[], None] | None:
    """Starts the separate metrics port in this process, if configured and free.

    Returns how to stop it. prometheus-client serves it from a thread of its own.
    """
    if settings.metrics_port is None:
        return None
    try:
        server, _ = start_http_server(
            settings.metrics_port, addr=settings.metrics_host, registry=metrics.registry()
        )
    except OSError as error:
        # Another process of this machine (`stonks up`'s API, another --workers process)
        # holds it; in multiprocess mode its exposition includes this process.
        logger.warning("metrics port %s not served here: %s", settings.metrics_port, error)
        return None
    logger.info("metrics at http://%s:%s/metrics", settings.metrics_host, settings.metrics_port)

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return stop
