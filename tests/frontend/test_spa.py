"""The built frontend is served as a single-page app without shadowing the API."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

from server.page_meta import figure_describer
from server.spa import SinglePageApp
from server.store.catalog import CatalogEntry, upsert_minifigures

INDEX = (
    "<!doctype html><head><title>Minifigure Stonks</title>"
    '<meta name="description" content="Prices of LEGO minifigures." /></head>'
    "<div id=app></div>"
)
SCRIPT = "console.log(1);" * 100
BROTLI_BYTES = b"pretend brotli"  # the server sends it as it is; only the browser decodes


@pytest.fixture
def app(tmp_path: Path, engine: AsyncEngine) -> Starlette:
    (tmp_path / "index.html").write_text(INDEX)
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "main-abc123.js").write_text(SCRIPT)
    (assets / "main-abc123.js.gz").write_bytes(gzip.compress(SCRIPT.encode()))
    (assets / "main-abc123.js.br").write_bytes(BROTLI_BYTES)
    (assets / "small-def456.js").write_text("console.log(2)")

    async def api(request: object) -> PlainTextResponse:
        return PlainTextResponse("api")

    describe = figure_describer(async_sessionmaker(engine, expire_on_commit=False))
    return Starlette(
        routes=[
            Route("/graphql", api, methods=["GET", "POST"]),
            Mount("/", SinglePageApp(tmp_path, describe)),
        ]
    )


@pytest.fixture
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def raw_get(
    http: httpx.AsyncClient, path: str, accept_encoding: str
) -> tuple[httpx.Response, bytes]:
    async with http.stream("GET", path, headers={"accept-encoding": accept_encoding}) as response:
        return response, b"".join([chunk async for chunk in response.aiter_raw()])


@pytest.mark.parametrize("path", ["/", "/browse?q=luke&theme=Star+Wars", "/m/sw0001a", "/sync"])
async def test_client_routes_get_the_app(http: httpx.AsyncClient, path: str) -> None:
    response = await http.get(path, headers={"accept-encoding": "identity"})
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["cache-control"] == "no-cache"


async def test_assets_are_served_with_long_caching(http: httpx.AsyncClient) -> None:
    response = await http.get("/assets/small-def456.js")
    assert response.status_code == 200
    assert response.text == "console.log(2)"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


async def test_the_precompressed_file_goes_to_browsers_that_accept_it(
    http: httpx.AsyncClient,
) -> None:
    response, body = await raw_get(http, "/assets/main-abc123.js", "gzip, deflate, br, zstd")
    assert response.headers["content-encoding"] == "br"
    assert body == BROTLI_BYTES
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["vary"] == "Accept-Encoding"
    assert "immutable" in response.headers["cache-control"]

    response, body = await raw_get(http, "/assets/main-abc123.js", "gzip, br;q=0")
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(body).decode() == SCRIPT

    response, body = await raw_get(http, "/assets/main-abc123.js", "identity")
    assert "content-encoding" not in response.headers
    assert body.decode() == SCRIPT


async def test_a_revalidation_of_a_compressed_file_is_a_304(http: httpx.AsyncClient) -> None:
    first, _ = await raw_get(http, "/assets/main-abc123.js", "br")
    again = await http.get(
        "/assets/main-abc123.js",
        headers={"accept-encoding": "br", "if-none-match": first.headers["etag"]},
    )
    assert again.status_code == 304


async def test_a_figure_page_names_the_figure_for_link_previews(
    http: httpx.AsyncClient, committed: AsyncSession
) -> None:
    entry = CatalogEntry(
        fig_num="sw0001a",
        name='Luke "Farm Boy" Skywalker',
        theme="Star Wars",
        year_released=1999,
        image_url="https://img.example/sw0001a.png",
    )
    await upsert_minifigures(committed, [entry])
    await committed.commit()

    response = await http.get("/m/sw0001a")
    page = response.text
    assert "<title>Luke &quot;Farm Boy&quot; Skywalker · Minifigure Stonks</title>" in page
    assert (
        '<meta name="description" content="Luke &quot;Farm Boy&quot; Skywalker (sw0001a; '
        "Star Wars, 1999): LEGO minifigure prices" in page
    )
    assert page.count('name="description"') == 1  # the generic one is replaced
    assert '<meta property="og:title" content="Luke &quot;Farm Boy&quot; Skywalker" />' in page
    assert '<meta property="og:url" content="http://testserver/m/sw0001a" />' in page
    assert '<meta property="og:image" content="https://img.example/sw0001a.png" />' in page

    unknown = await http.get("/m/zz9999")
    assert unknown.status_code == 200
    assert unknown.text == INDEX  # the app says "not found"; the copy stays generic


@pytest.mark.parametrize("path", ["/assets/main-old999.js", "/favicon.ico", "/m/robots.txt"])
async def test_a_missing_file_is_a_404_not_the_page(http: httpx.AsyncClient, path: str) -> None:
    response = await http.get(path)
    assert response.status_code == 404


async def test_only_reads_are_served(http: httpx.AsyncClient) -> None:
    assert (await http.post("/browse")).status_code == 405


async def test_api_routes_are_not_shadowed(http: httpx.AsyncClient) -> None:
    assert (await http.post("/graphql")).text == "api"
