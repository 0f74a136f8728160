"""graphql-transport-ws, as strawberry implements it, plus server-sent keep-alive pings.

Strawberry already enforces the protocol (4408 init timeout, 4401 subscribe before ack,
4409 duplicate id, 4429 second init, 4400 bad messages, the subscriptions-per-connection
limit); it answers pings but sends none. Pings from the server keep idle connections
alive through proxies and let clients notice a dead server.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ConnectionInitMessage

from server.graphql.context import Context


class KeepAliveTransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pinger: asyncio.Task[None] | None = None

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        await super().handle_connection_init(message)
        if self.connection_acknowledged and self._pinger is None:
            self._pinger = asyncio.create_task(self._ping_periodically())

    async def shutdown(self) -> None:
        if self._pinger is not None:
            self._pinger.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pinger
        await super().shutdown()

    async def _ping_periodically(self) -> None:
        with contextlib.suppress(Exception):  # the connection is going away
            while True:
                await asyncio.sleep(self.view.keep_alive_interval or 15.0)
                await self.send_message({"type": "ping"})
