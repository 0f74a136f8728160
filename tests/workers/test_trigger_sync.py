"""triggerSync: admin-only, deduplicated by job id, and run by the worker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from arq.connections import ArqRedis
from pydantic import SecretStr
from sqlalchemy import func, select

from server.app import create_app
from server.graphql.node import to_global_id
from server.models import PriceListing, SyncRun
from server.settings import Settings
from server.store.catalog import upsert_minifigures
from tests.factories import catalog_entry
from workers.context import Services
from workers.settings import create_worker

ADMIN_KEY = "k" * 40
MUTATION = """
mutation($source: SyncSource!, $figNum: String!) {
  triggerSync(source: $source, figNum: $figNum) {
    __typename
    ... on TriggerSyncSuccess { jobId alreadyQueued syncRunId }
    ... on TriggerSyncError { code message }
  }
}
"""


@pytest.fixture
async def api(worker_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(worker_settings.model_copy(update={"admin_api_key": SecretStr(ADMIN_KEY)}))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        yield client


async def _trigger(
    api: httpx.AsyncClient, fig_num: str, *, key: str | None = ADMIN_KEY, source: str = "DEMO"
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    response = await api.post(
        "/graphql",
        json={"query": MUTATION, "variables": {"source": source, "figNum": fig_num}},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["data"]["triggerSync"]
    return result


async def _seed(services: Services) -> None:
    async with services.session_factory() as session, session.begin():
        await upsert_minifigures(session, [catalog_entry("sw0001a")])


async def test_requires_the_admin_key(api: httpx.AsyncClient, services: Services) -> None:
    await _seed(services)
    for key in (None, "wrong", ADMIN_KEY[:-1]):
        result = await _trigger(api, "sw0001a", key=key)
        assert result["__typename"] == "TriggerSyncError"
        assert result["code"] == "UNAUTHORIZED"


async def test_refuses_unknown_and_invalid_figures(
    api: httpx.AsyncClient, services: Services
) -> None:
    await _seed(services)
    assert (await _trigger(api, "sw9999z"))["code"] == "UNKNOWN_MINIFIGURE"
    assert (await _trigger(api, "not a fig!"))["code"] == "INVALID_FIG_NUM"


async def test_enqueues_once_and_the_worker_runs_it(
    api: httpx.AsyncClient, ctx: dict[str, Any], services: Services, worker_settings: Settings
) -> None:
    await _seed(services)
    namespace = worker_settings.redis_namespace

    first = await _trigger(api, "SW0001A")
    second = await _trigger(api, "sw0001a")

    run_id = first.pop("syncRunId")
    assert first == {
        "__typename": "TriggerSyncSuccess",
        "jobId": f"{namespace}:sync:demo:sw0001a",
        "alreadyQueued": False,
    }
    assert (second["alreadyQueued"], second["syncRunId"]) == (True, run_id)
    async with services.session_factory() as session:
        runs = (await session.execute(select(SyncRun.id, SyncRun.status))).all()
    [(local_id, status)] = runs
    assert (status, to_global_id("SyncRun", local_id)) == ("queued", run_id)
    queue = ArqRedis(services.redis.connection_pool)
    queued = await queue.queued_jobs(queue_name=worker_settings.worker_queue_name)
    assert [(j.function, j.args) for j in queued] == [
        ("sync_prices", ("demo", "sw0001a", local_id))
    ]

    worker = create_worker(worker_settings, burst=True, handle_signals=False)
    try:
        await worker.async_run()
    finally:
        await worker.close()

    async with services.session_factory() as session:
        stored = await session.scalar(select(func.count()).select_from(PriceListing))
        after = (await session.execute(select(SyncRun.id, SyncRun.status))).all()
    assert worker.jobs_complete == 1
    assert stored == 1
    # The worker ran the queued run itself: no second row.
    assert after == [(local_id, "succeeded")]
    # Finished syncs keep no result, so the same sync can be queued again.
    assert (await _trigger(api, "sw0001a"))["alreadyQueued"] is False
