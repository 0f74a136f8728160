"""Running job functions in-process (the CLI), with the same context the worker builds."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from server.settings import Settings
from workers.context import close_resources
from workers.settings import on_startup


@contextlib.asynccontextmanager
async def job_context(settings: Settings, **extra: Any) -> AsyncIterator[dict[str, Any]]:
    ctx: dict[str, Any] = {"settings": settings, "job_try": 1, **extra}
    await on_startup(ctx)
    try:
        yield ctx
    finally:
        await close_resources(ctx)
