"""The built web frontend, served as a single-page app.

Client-side routes (/browse?q=..., /m/sw0001a) are not files: they get index.html and
the app's router picks the page; a figure page's copy names the figure in its title,
description and Open Graph tags, so a shared link previews it. Missing files (build
assets, /favicon.ico: anything whose name has an extension) stay 404s, so nobody
receives HTML where it asked for JavaScript or an image.

Files are sent in the build's precompressed form (.br, .gz beside the file) when the
browser accepts it; hashed assets may be cached for good, everything else revalidates.
"""

from __future__ import annotations

import gzip
import html
import mimetypes
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import anyio
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope

INDEX = "index.html"
ASSETS_PREFIX = "assets/"
# Hashed file names: a new build has new names, so browsers may keep these for good.
_IMMUTABLE = "public, max-age=31536000, immutable"
# The page itself must be revalidated, or a browser would keep loading an old build.
_REVALIDATE = "no-cache"
# Best first: brotli is smaller, gzip is understood everywhere.
_PRECOMPRESSED = (("br", ".br"), ("gzip", ".gz"))
_FIGURE_PATH = re.compile(r"^m/([^/]+)/?$")
_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)
_DESCRIPTION = re.compile(r'\s*<meta name="description"[^>]*>')
# Below this an HTML page is not worth compressing on the fly.
_GZIP_MIN_BYTES = 1024


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What a shared link previews: the page's title, a sentence, and a picture."""

    title: str
    description: str
    image_url: str | None = None


DescribeFigure = Callable[[str], Awaitable[PageMeta | None]]


class SinglePageApp(StaticFiles):
    def __init__(self, directory: Path, describe_figure: DescribeFigure | None = None) -> None:
        super().__init__(directory=directory)
        self._index = directory / INDEX
        self._describe_figure = describe_figure

    async def get_response(self, path: str, scope: Scope) -> Response:
        if scope["method"] not in ("GET", "HEAD"):
            raise HTTPException(status_code=405, headers={"Allow": "GET, HEAD"})
        if path in (".", INDEX) or not _is_file_path(path):
            return await self._page(path, scope)
        response = await self._file(path, scope)
        is_asset = path.startswith(ASSETS_PREFIX) and response.status_code in (200, 304)
        response.headers["cache-control"] = _IMMUTABLE if is_asset else _REVALIDATE
        return response

    async def _file(self, path: str, scope: Scope) -> Response:
        request_headers = Headers(scope=scope)
        accepted = _accepted_encodings(request_headers.get("accept-encoding", ""))
        for encoding, suffix in _PRECOMPRESSED:
            if encoding not in accepted:
                continue
            full_path, stat_result = await anyio.to_thread.run_sync(self.lookup_path, path + suffix)
            if stat_result is None:
                continue
            media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            response: Response = FileResponse(
                full_path,
                stat_result=stat_result,
                media_type=media_type,
                headers={"content-encoding": encoding, "vary": "Accept-Encoding"},
            )
            if self.is_not_modified(response.headers, request_headers):
                return NotModifiedResponse(response.headers)
            return response
        response = await super().get_response(path, scope)
        response.headers["vary"] = "Accept-Encoding"
        return response

    async def _page(self, path: str, scope: Scope) -> Response:
        page = await anyio.Path(self._index).read_text()
        figure = _FIGURE_PATH.match(path)
        if figure and self._describe_figure is not None:
            meta = await self._describe_figure(figure.group(1))
            if meta is not None:
                page = _with_meta(page, meta, _page_url(scope))
        body = page.encode()
        headers = {"cache-control": _REVALIDATE, "vary": "Accept-Encoding"}
        accepted = _accepted_encodings(Headers(scope=scope).get("accept-encoding", ""))
        if "gzip" in accepted and len(body) >= _GZIP_MIN_BYTES:
            body = gzip.compress(body, compresslevel=6)
            headers["content-encoding"] = "gzip"
        return Response(body, media_type="text/html", headers=headers)


def _is_file_path(path: str) -> bool:
    return path.startswith(ASSETS_PREFIX) or "." in path.rsplit("/", 1)[-1]


def _accepted_encodings(header: str) -> set[str]:
    """The content codings a request accepts ("br;q=0" refuses brotli)."""
    accepted = set()
    for part in header.split(","):
        name, *params = (item.strip() for item in part.split(";"))
        if name and all(_quality(param) > 0 for param in params):
            accepted.add(name.lower())
    return accepted


def _quality(param: str) -> float:
    key, _, value = param.partition("=")
    if key.strip() != "q":
        return 1.0
    try:
        return float(value)
    except ValueError:
        return 0.0


def _page_url(scope: Scope) -> str:
    headers = Headers(scope=scope)
    host = headers.get("host", "localhost")
    return f"{scope.get('scheme', 'http')}://{host}{scope.get('path', '/')}"


def _with_meta(page: str, meta: PageMeta, url: str) -> str:
    """The page with `meta` as its title, description and Open Graph tags."""
    title = html.escape(meta.title)
    description = html.escape(meta.description)
    tags = [
        f"<title>{title} · Minifigure Stonks</title>",
        f'<meta name="description" content="{description}" />',
        '<meta property="og:type" content="website" />',
        '<meta property="og:site_name" content="Minifigure Stonks" />',
        f'<meta property="og:title" content="{title}" />',
        f'<meta property="og:description" content="{description}" />',
        f'<meta property="og:url" content="{html.escape(url)}" />',
    ]
    if meta.image_url:
        tags.append(f'<meta property="og:image" content="{html.escape(meta.image_url)}" />')
    tags.append('<meta name="twitter:card" content="summary" />')
    without_description = _DESCRIPTION.sub("", page, count=1)
    return _TITLE.sub(lambda _: "\n    ".join(tags), without_description, count=1)


def has_build(directory: Path) -> bool:
    return (directory / INDEX).is_file()
