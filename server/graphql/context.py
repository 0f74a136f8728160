"""What every resolver can reach: built once per request (or WebSocket connection)."""

from __future__ import annotations

from dataclasses import dataclass

from arq.connections import ArqRedis
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection

from server.graphql.loaders import Loaders
from server.settings import Settings


@dataclass(slots=True)
class Context:
    request_id: str
    settings: Settings
    session_factory: async_sessionmaker[AsyncSession]
    redis: Redis
    loaders: Loaders
    # The HTTP request or WebSocket (headers for auth); the worker queue for enqueueing.
    request: HTTPConnection | None = None
    job_queue: ArqRedis | None = None
