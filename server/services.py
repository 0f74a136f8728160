"""Resolves which PostgreSQL and Redis to use: the configured ones, or embedded ones."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from server.embedded import embedded_postgres, embedded_redis
from server.settings import Settings


@contextlib.contextmanager
def resolved_services(settings: Settings) -> Iterator[Settings]:
    """Yields settings whose DATABASE_URL and REDIS_URL point at running servers.

    Servers are started only for the URLs left unset, and stopped on exit.
    """
    with contextlib.ExitStack() as stack:
        database_url = (
            settings.database_url.get_secret_value()
            if settings.database_url
            else stack.enter_context(embedded_postgres(settings.data_dir))
        )
        redis_url = (
            settings.redis_url.get_secret_value()
            if settings.redis_url
            else stack.enter_context(embedded_redis(settings.data_dir))
        )
        yield settings.with_service_urls(database_url=database_url, redis_url=redis_url)
