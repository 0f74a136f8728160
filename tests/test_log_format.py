"""LOG_FORMAT=json: one JSON object per line with request id, operation and duration."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator

import httpx
import pytest

from server.log_format import JsonLines, RequestContext, configure_logging
from server.settings import Settings


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the operation logger writes, through the production formatter and filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContext())
    handler.setFormatter(JsonLines())
    logger = logging.getLogger("server.graphql.metrics_extension")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(previous)


async def test_each_operation_logs_request_id_operation_and_duration(
    client: httpx.AsyncClient, json_lines: io.StringIO
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "query Themes { themes { name } }"},
        headers={"X-Request-ID": "req-0123456789"},
    )

    assert response.status_code == 200
    lines = [json.loads(line) for line in json_lines.getvalue().splitlines()]
    assert len(lines) == 1
    line = lines[0]
    assert (line["request_id"], line["operation"], line["level"]) == (
        "req-0123456789",
        "Themes",
        "INFO",
    )
    assert line["message"] == "graphql query Themes"
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0


def test_a_failure_is_one_line_with_its_traceback() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.getLogger("t").makeRecord(
            "t", logging.ERROR, __file__, 1, "failed %s", ("x",), exc_info=sys.exc_info()
        )
    text = JsonLines().format(record)

    assert "\n" not in text
    parsed = json.loads(text)
    assert parsed["message"] == "failed x"
    assert "RuntimeError: boom" in parsed["exception"]
    assert "request_id" not in parsed


def test_configure_logging_installs_json_lines_on_the_root_logger() -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        configure_logging(Settings(_env_file=None, log_format="json", log_level="WARNING"))
        (handler,) = root.handlers
        assert isinstance(handler.formatter, JsonLines)
        assert root.level == logging.WARNING
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
