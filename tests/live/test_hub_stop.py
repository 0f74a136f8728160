"""Stopping the hub ends its tasks even when a cancellation is swallowed on the way."""

from __future__ import annotations

import asyncio

from server.live.hub import _cancel


async def test_a_swallowed_cancellation_is_repeated_until_the_task_ends() -> None:
    cancellations = 0

    async def follow_loop_that_swallows_one_cancel() -> None:
        # What redis-py's read timeout does when it fires at the moment of a cancellation.
        nonlocal cancellations
        while True:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                cancellations += 1
                if cancellations > 1:
                    raise

    task = asyncio.create_task(follow_loop_that_swallows_one_cancel())
    await asyncio.sleep(0)

    await asyncio.wait_for(_cancel(task), timeout=10)

    assert task.cancelled()
    assert cancellations == 2
