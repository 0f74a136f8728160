"""graphql-transport-ws, as strawberry implements it, plus server-sent keep-alive pings and
the connection's outlet.

Strawberry already enforces the protocol (4408 init timeout, 4401 subscribe before ack,
4409 duplicate id, 4429 second init, 4400 bad messages, the subscriptions-per-connection
limit); it answers pings but sends none. Pings from the server keep idle connections
alive through proxies and let clients notice a dead server: the hub sends them to every
acknowledged connection from one task.

Everything this connection sends goes through one `Outlet`, in order: the `next` frames
that shared operations queue for its subscriptions, and strawberry's own messages
(a `complete` after the last `next` of a finished subscription).

A live subscription keeps no task: strawberry runs the `subscribe` message as usual
(admission, validation, the resolver, the replay of `since`), then the resolver parks the
subscriber here and the operation's task ends without a `complete`. Its id stays taken
(duplicates still close with 4409, the per-connection limit still counts it) until the
client completes it, the connection ends, or the subscription ends by itself.
"""

from __future__ import annotations

import json
from typing import Any, cast

from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    Message,
)

from server.graphql.context import Context
from server.graphql.live_delivery import CurrentOperation, Subscriber, current_operation
from server.live.outlet import Outlet


class KeepAliveTransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        websocket = cast(ASGIWebSocketAdapter, self.websocket)
        self.outlet = Outlet(
            websocket.ws.send_text, websocket.close, self.context.settings.live_queue_size
        )
        self.parked: dict[str, Subscriber] = {}
        # A slow consumer's subscriptions stop at the drop, not when its close completes.
        self.outlet.on_drop(self._leave_all)

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        await super().handle_connection_init(message)
        if self.connection_acknowledged and self.context.live is not None:
            # From now on the hub pings this connection (one task for all of them).
            self.context.live.attach(self.outlet)

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        # Runs in the operation's own task: the subscription resolver finds it here.
        current_operation.set(
            CurrentOperation(
                operation.id,
                operation.query,
                operation.variables,
                operation.operation_name,
                self.outlet,
                self,
            )
        )
        await super().run_operation(operation)

    def park(self, operation_id: str, subscriber: Subscriber) -> None:
        operation = self.operations.get(operation_id)
        if operation is None or self.outlet.dropped or self.outlet.closed:
            subscriber.leave()  # completed by the client meanwhile, or the connection is ending
            return
        # The stream is about to end: strawberry must not send `complete` for it, and
        # the ending task is not kept (nor cancelled: it has nothing left to serve).
        operation.completed = True
        operation.task = None
        self.parked[operation_id] = subscriber

    def completed(self, operation_id: str) -> None:
        self.parked.pop(operation_id, None)
        self.operations.pop(operation_id, None)
        # Queued behind the subscription's last `next`.
        self.outlet.push('{"id":' + json.dumps(operation_id) + ',"type":"complete"}')

    def _leave_all(self) -> None:
        for operation_id, subscriber in list(self.parked.items()):
            del self.parked[operation_id]
            self.operations.pop(operation_id, None)
            subscriber.leave()

    async def cleanup_operation(self, operation_id: str) -> None:
        parked = self.parked.pop(operation_id, None)
        if parked is None:
            await super().cleanup_operation(operation_id)
            return
        self.operations.pop(operation_id, None)
        parked.leave()

    async def send_message(self, message: Message) -> None:
        encoded = self.view.encode_json(message)
        await self.outlet.send_now(encoded if isinstance(encoded, str) else encoded.decode())

    async def shutdown(self) -> None:
        self.outlet.shut()
        if self.context.live is not None:
            self.context.live.detach(self.outlet)
        await super().shutdown()
