"""The built web frontend, served as a single-page app.

Client-side routes (/browse?q=..., /m/sw0001a) are not files: they get index.html and
the app's router picks the page. Missing files (build assets, /favicon.ico: anything
whose name has an extension) stay 404s, so nobody receives HTML where it asked for
JavaScript or an image.
"""

from __future__ import annotations

from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

INDEX = "index.html"
ASSETS_PREFIX = "assets/"
# Hashed file names: a new build has new names, so browsers may keep these for good.
_IMMUTABLE = "public, max-age=31536000, immutable"
# The page itself must be revalidated, or a browser would keep loading an old build.
_REVALIDATE = "no-cache"


class SinglePageApp(StaticFiles):
    def __init__(self, directory: Path) -> None:
        super().__init__(directory=directory, html=True)

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            response = await super().get_response(path, scope)
        except HTTPException as error:
            if error.status_code != 404 or _is_file_path(path):
                raise
            response = await super().get_response(INDEX, scope)
        is_asset = path.startswith(ASSETS_PREFIX) and response.status_code in (200, 304)
        response.headers["cache-control"] = _IMMUTABLE if is_asset else _REVALIDATE
        return response


def _is_file_path(path: str) -> bool:
    return path.startswith(ASSETS_PREFIX) or "." in path.rsplit("/", 1)[-1]


def has_build(directory: Path) -> bool:
    return (directory / INDEX).is_file()
