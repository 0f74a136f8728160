"""Without Redis the API keeps serving and retries with backoff instead of spinning."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx
import pytest

from tests.live.servers import api_process, free_port

# The hub waits 0.1, 0.2, 0.4, 0.8, 1.6 s... between attempts: about 5 in 3 seconds.
OBSERVED_SECONDS = 3.0
MOST_ATTEMPTS = 8


@pytest.mark.parametrize("transport", ["unix socket", "tcp"])
async def test_while_redis_is_unreachable_the_api_backs_off_and_keeps_serving(
    database_url: str, tmp_path: Path, transport: str
) -> None:
    unreachable = (
        f"unix://{tmp_path}/no-redis.sock"
        if transport == "unix socket"
        else f"redis://127.0.0.1:{free_port()}/0"
    )
    namespace = f"test:{uuid.uuid4().hex}"
    with api_process(database_url, unreachable, namespace, wait_for_redis=False) as api:
        await asyncio.sleep(OBSERVED_SECONDS)  # let the hub try for a while
        stats = api.stats()
        async with httpx.AsyncClient() as client:
            health = await client.get(f"http://127.0.0.1:{api.port}/healthz", timeout=10)

    assert not stats["connected"]
    assert 1 <= stats["reconnects"] <= MOST_ATTEMPTS
    assert health.status_code == 503
    assert health.json()["redis"] is False
