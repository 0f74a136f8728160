"""Schema-driven fuzzing of the real app: whatever arrives, no 5xx and nothing masked.

Operations come from hypothesis-graphql over the committed schema, valid ones and
deliberately invalid ones, with extreme scalar values (years 1 and 9999, huge and
non-finite decimals, NUL characters); variables come as arbitrary JSON. Bounded so the
suite stays fast: raise FUZZ_EXAMPLES to search longer locally.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, nodes

from server.app import create_app
from server.graphql.schema import schema_sdl
from tests.conftest import settings_for
from tests.redis_keys import drop_keys

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "80"))
SCALARS = {
    "Date": st.dates().map(lambda day: nodes.String(day.isoformat())),
    "DateTime": st.datetimes(timezones=st.sampled_from([None, UTC])).map(
        lambda moment: nodes.String(moment.isoformat())
    ),
    "Decimal": st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True).map(lambda d: nodes.String(str(d))),
        st.just(nodes.String("1e999999999")),
    ),
}
SDL = schema_sdl()
OPERATIONS = st.one_of(
    from_schema(SDL, custom_scalars=SCALARS),
    from_schema(SDL, custom_scalars=SCALARS, mode=Mode.NEGATIVE),
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
VARIABLE_QUERY = """query($first: Int, $after: String, $filter: MinifigureFilter, $from: Date,
  $to: Date, $id: ID!) {
  minifigures(first: $first, after: $after, filter: $filter) { totalCount }
  marketIndex(from: $from, to: $to) { start }
  node(id: $id) { id }
}"""


@pytest.fixture(scope="module")
async def fuzz_client(database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    namespace = f"test-fuzz-{uuid.uuid4().hex[:8]}"
    app = create_app(
        settings_for(database_url, redis_url, redis_namespace=namespace, rate_limit_enabled=False)
    )
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://fuzz") as client,
    ):
        yield client
    await drop_keys(redis_url, f"{namespace}:*")


async def assert_handled(client: httpx.AsyncClient, body: dict[str, Any]) -> None:
    response = await client.post("/graphql", json=body)
    assert response.status_code < 500, (body, response.text)
    codes = [e.get("extensions", {}).get("code") for e in response.json().get("errors", [])]
    assert "INTERNAL_SERVER_ERROR" not in codes, (body, response.text)
    assert None not in codes, (body, response.text)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operation=OPERATIONS)
async def test_generated_operations_never_fail_inside(
    fuzz_client: httpx.AsyncClient, operation: str
) -> None:
    await assert_handled(fuzz_client, {"query": operation})


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    variables=st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(("first", "after", "filter", "from", "to", "id"), JSON),
    )
)
async def test_arbitrary_variables_never_fail_inside(
    fuzz_client: httpx.AsyncClient, variables: dict[str, Any]
) -> None:
    await assert_handled(fuzz_client, {"query": VARIABLE_QUERY, "variables": variables})
