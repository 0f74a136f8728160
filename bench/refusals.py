"""What a refusal costs: limits-refused documents vs a trivial accepted query, one run.

Run: `uv run python bench/refusals.py [DATABASE_URL [REDIS_URL]]` (defaults: the local
PostgreSQL's `postgres` database and Redis on 6379; nothing is written to either).

Two measurements, each as CPU time (process_time) so other processes on a shared machine
count less:

  limits   the pure limit functions alone (parse within bounds, shape, cost) on the
           worst documents up to the request body limit: the target is < 10 ms each.
  http     whole POST /graphql requests called straight into the app in this process
           (ASGI, no client, no sockets): refusals per second and CPU per refusal, as a
           ratio to `{ __typename }` (accepted, no SQL) measured in the same run, once with
           one text repeated and once with every text unique; SQL statements are counted.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Awaitable, Callable

from graphql import GraphQLError
from pydantic import SecretStr
from sqlalchemy import event
from starlette.types import ASGIApp, Message

from server.app import create_app
from server.graphql.cost import operation_cost
from server.graphql.limits import (
    Limits,
    cost_refusal,
    document_shape,
    parse_limited,
    shape_refusals,
)
from server.settings import Settings

REQUESTS = 1_000
BODY_LIMIT = 1_048_576


def _nested(levels: int) -> str:
    return "{ " + "minifigures { nodes { " * (levels // 2) + "name" + " } }" * (levels // 2) + " }"


def _doubling(count: int) -> str:
    fragments = " ".join(
        f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(count)
    )
    return f"{{ ...F0 }} {fragments} fragment F{count} on Query {{ version }}"


DOCUMENTS: dict[str, str] = {
    "depth 50": _nested(50),
    "815-byte doubling fragments (n=20)": _doubling(20),
    "doubling fragments (n=45)": _doubling(45),
    "32 aliases (8 in a fragment spread 4 times)": "{ ...A ...A ...A ...A } fragment A on Query { "
    + " ".join(f"a{i}: version" for i in range(8))
    + " }",
    "1,000 aliases": "{ " + " ".join(f"a{i}: version" for i in range(1_000)) + " }",
    "10,000 fields": "{ " + " ".join("version" for _ in range(10_000)) + " }",
    "tokens up to the length limit": "{ " + "a " * 16_000 + "}",
    "comment up to the length limit": "#" + "x" * 32_700 + "\n{ version }",
    "string up to the length limit": '{ a(x: "' + "x" * 32_700 + '") }',
    "document of the body limit": "{ version }" + " " * (BODY_LIMIT - 200),
}
# Accepted and trivial: no resolver, no SQL.
REFERENCE = "{ __typename }"


def limits_cpu_ms(document: str, limits: Limits, rounds: int = 20) -> tuple[float, str]:
    def check() -> str:
        try:
            parsed = parse_limited(document, limits)
        except GraphQLError as error:
            return str((error.extensions or {}).get("code"))
        refusals = list(shape_refusals(document_shape(parsed), limits))
        refused = (
            refusals[0] if refusals else cost_refusal(operation_cost(parsed, None, {}), limits)
        )
        return str(refused.extensions["code"]) if refused and refused.extensions else "passed"

    start = time.process_time()
    for _ in range(rounds):
        outcome = check()
    return (time.process_time() - start) * 1000 / rounds, outcome


def _asgi_call(app: ASGIApp, body: bytes) -> Callable[[], Awaitable[list[Message]]]:
    """One POST /graphql straight into the app: no HTTP client in the measured CPU."""
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("192.0.2.1", 4000),
        "server": ("bench", 80),
        "scheme": "http",
        "root_path": "",
        "http_version": "1.1",
    }

    async def call() -> list[Message]:
        sent: list[Message] = []

        async def receive() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Message) -> None:
            sent.append(message)

        await app(dict(scope), receive, send)
        return sent

    return call


async def http_rate(app: ASGIApp, document: str, *, unique: bool) -> tuple[float, float, str]:
    """(requests per CPU second, CPU ms per request, the code of the first answer).

    `unique`: every request's text differs (a numbered comment), so nothing a previous
    request left behind (the recent-refusals memo) helps; otherwise one text repeated."""

    def body(number: int) -> bytes:
        text = f"{document}\n#{number}" if unique else document
        return json.dumps({"query": text}).encode()

    first = await _asgi_call(app, body(-1))()
    answer = json.loads(first[1]["body"])
    code = answer["errors"][0]["extensions"]["code"] if "errors" in answer else "accepted"
    calls = [_asgi_call(app, body(number)) for number in range(REQUESTS)]
    start = time.process_time()
    for call in calls:
        await call()
    cpu = time.process_time() - start
    return REQUESTS / cpu, cpu * 1000 / REQUESTS, code


def _counter(engine_target: object) -> Callable[[], int]:
    count = 0

    def on_statement(*_: object) -> None:
        nonlocal count
        count += 1

    event.listen(engine_target, "before_cursor_execute", on_statement)
    return lambda: count


async def main(database_url: str, redis_url: str) -> None:
    print(f"machine load average at the start (1, 5, 15 min): {os.getloadavg()[0]:.1f}")
    limits = Limits()
    print(f"limits alone (CPU ms per document; target < 10), limits {limits}")
    print("| document | bytes | CPU ms | outcome |\n|---|---|---|---|")
    for name, document in DOCUMENTS.items():
        cpu_ms, outcome = limits_cpu_ms(document, limits)
        print(f"| {name} | {len(document):,} | {cpu_ms:.3f} | {outcome} |")

    settings = Settings(
        _env_file=None,
        database_url=SecretStr(database_url),
        redis_url=SecretStr(redis_url),
        # Refusals are what is measured here, not the rate limiter (they draw nothing).
        rate_limit_enabled=False,
    )
    app = create_app(settings)
    statements = _counter(app.state.resources.engine.sync_engine)
    async with app.router.lifespan_context(app):
        reference_rate, reference_ms, _ = await http_rate(app, REFERENCE, unique=False)
        print(f"\nwhole requests through the app (ASGI, no client), {REQUESTS} each")
        reference = f"{reference_rate:,.0f}/s, {reference_ms:.3f} ms CPU"
        print(f"reference `{REFERENCE}` (accepted, no SQL): {reference}")
        print(
            "| document | repeated: refusals/s | CPU ms | x ref | unique: refusals/s | CPU ms "
            "| x ref | code |\n|---|---|---|---|---|---|---|---|"
        )
        before = statements()
        for name, document in DOCUMENTS.items():
            if len(document) > BODY_LIMIT - 100:
                continue
            rate, cpu_ms, code = await http_rate(app, document, unique=False)
            unique_rate, unique_ms, _ = await http_rate(app, document, unique=True)
            print(
                f"| {name} | {rate:,.0f} | {cpu_ms:.3f} | {cpu_ms / reference_ms:.2f} "
                f"| {unique_rate:,.0f} | {unique_ms:.3f} | {unique_ms / reference_ms:.2f} "
                f"| {code} |"
            )
        print(f"\nSQL statements during the refusals: {statements() - before}")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine load average at the end (1, 5, 15 min): {load}")


if __name__ == "__main__":
    database = (
        sys.argv[1]
        if len(sys.argv) > 1
        else "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
    )
    redis = sys.argv[2] if len(sys.argv) > 2 else "redis://127.0.0.1:6379/0"
    asyncio.run(main(database, redis))
