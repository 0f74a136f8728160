"""Finds the PostgreSQL and Redis the tests use, starting embedded ones when none runs.

Order: TEST_DATABASE_URL / TEST_REDIS_URL, then the machine's local servers on their
default ports, then the embedded servers from the project's own dependencies.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path

from server.embedded import embedded_postgres, embedded_redis, redis_answers

LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def postgres_admin_url(scratch: Path) -> Iterator[str]:
    """A URL to a database on a server where the tests may create databases."""
    if url := os.environ.get("TEST_DATABASE_URL"):
        yield url
    elif _port_open(5432):
        yield LOCAL_POSTGRES
    else:
        with embedded_postgres(scratch) as url:
            yield url


@contextlib.contextmanager
def redis_url(scratch: Path) -> Iterator[str]:
    if url := os.environ.get("TEST_REDIS_URL"):
        yield url
    elif redis_answers(LOCAL_REDIS):
        yield LOCAL_REDIS
    else:
        with embedded_redis(scratch) as url:
            yield url
