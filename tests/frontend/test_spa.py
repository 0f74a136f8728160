"""The built frontend is served as a single-page app without shadowing the API."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

from server.spa import SinglePageApp

INDEX = "<!doctype html><title>app</title><div id=app></div>"


@pytest.fixture
def app(tmp_path: Path) -> Starlette:
    (tmp_path / "index.html").write_text(INDEX)
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "main-abc123.js").write_text("console.log(1)")

    async def api(request: object) -> PlainTextResponse:
        return PlainTextResponse("api")

    return Starlette(
        routes=[
            Route("/graphql", api, methods=["GET", "POST"]),
            Mount("/", SinglePageApp(tmp_path)),
        ]
    )


@pytest.fixture
async def http(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


@pytest.mark.parametrize("path", ["/", "/browse?q=luke&theme=Star+Wars", "/m/sw0001a", "/sync"])
async def test_client_routes_get_the_app(http: httpx.AsyncClient, path: str) -> None:
    response = await http.get(path)
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["cache-control"] == "no-cache"


async def test_assets_are_served_with_long_caching(http: httpx.AsyncClient) -> None:
    response = await http.get("/assets/main-abc123.js")
    assert response.status_code == 200
    assert response.text == "console.log(1)"
    assert "immutable" in response.headers["cache-control"]


@pytest.mark.parametrize("path", ["/assets/main-old999.js", "/favicon.ico", "/m/robots.txt"])
async def test_a_missing_file_is_a_404_not_the_page(http: httpx.AsyncClient, path: str) -> None:
    response = await http.get(path)
    assert response.status_code == 404


async def test_api_routes_are_not_shadowed(http: httpx.AsyncClient) -> None:
    assert (await http.post("/graphql")).text == "api"
