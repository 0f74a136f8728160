"""/metrics: Prometheus counters move after a request, a job and an event; operators only."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from arq import create_pool
from arq.connections import RedisSettings
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette

from server import migrations
from server.app import create_app
from server.events import EventBus, SyncRunUpdated
from server.graphql.context import Context
from server.graphql.loaders import create_loaders
from server.graphql.schema import schema
from server.settings import Settings
from tests.conftest import settings_for
from tests.databases import create_database, drop_database
from tests.live.servers import free_port
from workers.settings import create_worker

ADMIN_KEY = "metrics-tests-admin-key-0123456789abcdef"
OPERATOR = {"Authorization": f"Bearer {ADMIN_KEY}"}


@pytest.fixture
def settings(database_url: str, redis_url: str) -> Settings:
    return settings_for(
        database_url,
        redis_url,
        admin_api_key=ADMIN_KEY,
        redis_namespace=f"test:{uuid.uuid4().hex}",
        worker_queue_name=f"test:{uuid.uuid4().hex}",
    )


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Starlette]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def _sample(client: httpx.AsyncClient, name: str, **labels: str) -> float:
    response = await client.get("/metrics", headers=OPERATOR)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0.0


async def test_metrics_and_live_stats_need_the_admin_key(client: httpx.AsyncClient) -> None:
    for path in ("/metrics", "/live/stats"):
        anonymous = await client.get(path)
        wrong = await client.get(path, headers={"Authorization": "Bearer nope"})
        operator = await client.get(path, headers=OPERATOR)
        assert (anonymous.status_code, wrong.status_code, operator.status_code) == (401, 401, 200)
        assert anonymous.json()["error"] == "UNAUTHORIZED"


async def test_requests_latency_and_error_codes_are_counted_by_operation(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    requests = ("stonks_graphql_requests_total", {"operation": "Probe", "type": "query"})
    latency = ("stonks_graphql_request_seconds_count", {"operation": "Probe"})
    invalid = ("stonks_graphql_errors_total", {"code": "GRAPHQL_VALIDATION_FAILED"})
    before = [
        await _sample(client, name, **labels) for name, labels in (requests, latency, invalid)
    ]

    ok = await client.post(
        "/graphql", json={"query": "query Probe { themes { name } }", "operationName": "Probe"}
    )
    bad = await client.post("/graphql", json={"query": "query Probe { noSuchField }"})

    assert ok.status_code == 200
    assert bad.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    after = [await _sample(client, name, **labels) for name, labels in (requests, latency, invalid)]
    assert [a - b for a, b in zip(after, before, strict=True)] == [2, 2, 1]
    assert await _sample(client, "stonks_db_pool_connections", state="checked_out") == 0
    # The connections the requests used are back; the pool's size is what the settings ask for.
    assert await _sample(client, "stonks_db_pool_connections", state="size") == (
        settings.db_pool_size
    )


async def test_documents_refused_before_they_run_are_counted_as_invalid(
    client: httpx.AsyncClient,
) -> None:
    invalid = ("stonks_graphql_requests_total", {"operation": "(anonymous)", "type": "invalid"})
    parse_failed = ("stonks_graphql_errors_total", {"code": "GRAPHQL_PARSE_FAILED"})
    too_deep = ("stonks_graphql_errors_total", {"code": "QUERY_TOO_DEEP"})
    counted = (invalid, parse_failed, too_deep)
    before = [await _sample(client, name, **labels) for name, labels in counted]
    deep = "{ " + "minifigures { nodes { " * 10 + "name" + " } }" * 10 + " }"

    unparsable = await client.post("/graphql", json={"query": "{ version"})
    # The same refusal twice: the second is answered from the recent refusals.
    refused = [await client.post("/graphql", json={"query": deep}) for _ in range(2)]

    assert request_codes(unparsable) == ["GRAPHQL_PARSE_FAILED"]
    assert [request_codes(r) for r in refused] == [["QUERY_TOO_DEEP"]] * 2
    after = [await _sample(client, name, **labels) for name, labels in counted]
    assert [a - b for a, b in zip(after, before, strict=True)] == [3, 1, 2]


async def test_a_refusal_inside_the_schema_is_counted_as_invalid_too(
    client: httpx.AsyncClient, app: Starlette, settings: Settings
) -> None:
    """WebSocket operations reach the schema unchecked: the limits refuse them there."""
    resources = app.state.resources
    context = Context(
        request_id="metrics-test-request",
        settings=settings,
        session_factory=resources.session_factory,
        redis=resources.redis,
        loaders=create_loaders(resources.session_factory, resources.candle_source),
    )
    # Its name is not known: the document was refused before it was parsed.
    invalid = ("stonks_graphql_requests_total", {"operation": "(anonymous)", "type": "invalid"})
    too_deep = ("stonks_graphql_errors_total", {"code": "QUERY_TOO_DEEP"})
    before = [await _sample(client, name, **labels) for name, labels in (invalid, too_deep)]
    deep = "query Deep { " + "minifigures { nodes { " * 10 + "name" + " } }" * 10 + " }"

    result = await schema.execute(deep, context_value=context)

    assert result.errors is not None
    assert [error.extensions["code"] for error in result.errors if error.extensions] == [
        "QUERY_TOO_DEEP"
    ]
    after = [await _sample(client, name, **labels) for name, labels in (invalid, too_deep)]
    assert [a - b for a, b in zip(after, before, strict=True)] == [1, 1]


def request_codes(response: httpx.Response) -> list[str]:
    return [error["extensions"]["code"] for error in response.json()["errors"]]


async def test_job_runs_are_counted_per_function_and_outcome(
    client: httpx.AsyncClient, settings: Settings, redis_url: str, postgres_admin_url: str
) -> None:
    labels = {"function": "check_database", "outcome": "succeeded"}
    runs_before = await _sample(client, "stonks_job_runs_total", **labels)
    # Its own database: a starting worker stores the shipped exchange rates.
    url = await create_database(postgres_admin_url, prefix="stonks_metrics")
    await asyncio.to_thread(migrations.upgrade, url)
    pool = await create_pool(
        RedisSettings.from_dsn(redis_url), default_queue_name=settings.worker_queue_name
    )
    worker = create_worker(
        settings.with_service_urls(database_url=url, redis_url=redis_url),
        burst=True,
        handle_signals=False,
    )
    try:
        assert await pool.enqueue_job("check_database") is not None
        await worker.async_run()
    finally:
        await worker.close()
        await pool.aclose()
        await drop_database(postgres_admin_url, url)

    assert await _sample(client, "stonks_job_runs_total", **labels) == runs_before + 1
    assert await _sample(client, "stonks_job_seconds_count", **labels) >= 1


async def test_events_published_and_dispatched_are_counted(
    client: httpx.AsyncClient, app: Starlette, settings: Settings
) -> None:
    hub = app.state.resources.hub
    await hub.wait_started()
    published_before = await _sample(client, "stonks_events_published_total")
    dispatched_before = hub.stats().dispatched_events
    bus = EventBus(app.state.resources.redis, namespace=settings.redis_namespace)

    await bus.publish([SyncRunUpdated(1, "demo", "running", 0, 0, 0, None)])
    async with asyncio.timeout(10):
        while hub.stats().dispatched_events == dispatched_before:  # noqa: ASYNC110
            await asyncio.sleep(0.05)

    assert await _sample(client, "stonks_events_published_total") == published_before + 1
    assert await _sample(client, "stonks_live_hub_lag_seconds") >= 0


async def test_a_separate_metrics_port_serves_without_a_key(
    database_url: str, redis_url: str
) -> None:
    port = free_port()
    app = create_app(settings_for(database_url, redis_url, metrics_port=port))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as main,
    ):
        separate = await asyncio.to_thread(httpx.get, f"http://127.0.0.1:{port}/metrics")
        on_main_port = await main.get("/metrics", headers=OPERATOR)

    assert separate.status_code == 200
    assert "stonks_graphql_requests" in separate.text
    assert on_main_port.status_code == 404


async def test_the_checked_out_gauge_survives_a_database_that_went_away(
    postgres_admin_url: str, redis_url: str
) -> None:
    """The pool reports a checkin without a checkout when reconnecting fails: the gauge
    stays at what is really checked out, never below zero."""
    url = await create_database(postgres_admin_url, prefix="stonks_metrics")
    app = create_app(settings_for(url, redis_url, admin_api_key=ADMIN_KEY))
    probe = {"query": "{ health { database } }"}
    samples = []
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://t"
            ) as client,
        ):
            assert (await client.post("/graphql", json=probe)).json()["data"] == {
                "health": {"database": True}
            }
            # The pooled connection dies with its database; every reconnect then fails.
            await drop_database(postgres_admin_url, url)
            for _ in range(3):
                answer = (await client.post("/graphql", json=probe)).json()
                assert answer["data"] == {"health": {"database": False}}
                samples.append(
                    await _sample(client, "stonks_db_pool_connections", state="checked_out")
                )
    finally:
        await drop_database(postgres_admin_url, url)

    assert samples == [0, 0, 0]
