"""Execute once, send many: how subscription events reach WebSocket clients.

Subscriptions with the same document, operation name, variables and authorization share
one `SharedOperation`. The hub's route index hands it each matching event once; it runs
the operation once for that event (graphql-core's per-event execution, with loaders built
for that execution alone, so nested fields are fresh) and serializes the `next` payload
once. Each subscriber then only prepends its operation id and queues the text on its
connection's outlet: no task, no execution and no JSON encoding per subscriber.

A subscription resolver (see `subscription.py`) registers its subscriber here, replays
what `since` asks for, and then hands the live subscriber to its connection (`park`): the
operation's task, its async generators and its per-operation execution state end there,
while the subscriber stays filed under its shared operation. An idle subscription costs
a `Subscriber` and strawberry's `Operation` record, not a task. The connection ends it
when the client sends `complete` or goes away; the subscription ends itself (a sync run
finished) by telling the connection, which sends `complete` after the last `next`.
It learns its operation id, raw payload and connection from `current_operation`, which
the WebSocket handler sets for the operation's task.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Hashable
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import lru_cache
from inspect import isawaitable, iscoroutine
from typing import Any, Protocol

from graphql import (
    ArgumentNode,
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    VariableNode,
    Visitor,
    parse,
    visit,
)
from graphql.execution import Executor, execute_subscription_event

from server import metrics
from server.events import Envelope, event_id_key, is_event_id
from server.graphql.auth import admin_from_connection_params
from server.graphql.context import Context
from server.graphql.cost import operation_cost
from server.graphql.errors import INTERNAL_ERROR_MESSAGE, ClientError, is_expected
from server.graphql.loaders import create_loaders
from server.live.filters import Criteria
from server.live.hub import LiveHub
from server.live.outlet import Outlet
from server.live.replay import ResumeError, check_not_ahead_of_log, replay

logger = logging.getLogger("server.graphql")

# What a subscription event becomes as the root value of its execution.
ToRoot = Callable[[Envelope], object]
EventKey = tuple[int, int]

_PARSED_DOCUMENTS = 256
_operation_numbers = itertools.count(1)


class LiveConnection(Protocol):
    """The WebSocket connection that takes over live subscriptions from their tasks."""

    def park(self, operation_id: str, subscriber: Subscriber) -> None:
        """The subscriber is live: its operation's task ends, the subscription does not.
        The connection calls `subscriber.leave()` when the client ends it or goes away."""

    def completed(self, operation_id: str) -> None:
        """A parked subscription ended by itself: send `complete` and free its id."""


@dataclass(frozen=True, slots=True)
class CurrentOperation:
    """A graphql-transport-ws `subscribe` message being served, and its connection."""

    id: str
    query: str
    variables: dict[str, Any] | None
    operation_name: str | None
    outlet: Outlet
    connection: LiveConnection


current_operation: ContextVar[CurrentOperation | None] = ContextVar(
    "current_operation", default=None
)


class Subscriber:
    """One subscription on one connection: its frame prefix and what it has been sent."""

    __slots__ = ("after", "connection", "finished", "held", "id", "outlet", "prefix", "shared")

    def __init__(
        self, shared: SharedOperation, operation: CurrentOperation, after: EventKey
    ) -> None:
        self.shared = shared
        self.outlet = operation.outlet
        self.id = operation.id
        self.prefix = '{"id":' + json.dumps(operation.id) + ',"type":"next","payload":'
        # Events up to this one were delivered, or came before the subscription.
        self.after = after
        # While the log is replayed, live frames wait here (None: live).
        self.held: list[tuple[EventKey, str]] | None = None
        self.finished = False
        # Set once parked: the connection that now owns the subscription.
        self.connection: LiveConnection | None = None

    def send(self, key: EventKey, payload: str) -> None:
        """A live event's payload: sent now, or held while the log is being replayed."""
        if self.held is None:
            self.push(key, payload)
        elif len(self.held) >= self.outlet.capacity:
            self.outlet.drop()
        else:
            self.held.append((key, payload))

    def push(self, key: EventKey, payload: str) -> None:
        if key <= self.after:
            return  # replayed already, or from before the subscription
        self.after = key
        self.outlet.push(self.prefix + payload + "}")

    def go_live(self) -> None:
        held, self.held = self.held or [], None
        for key, payload in held:
            self.push(key, payload)

    def finish(self) -> None:
        """The subscription's last event was sent (or held, while replaying)."""
        if self.finished:
            return
        self.finished = True
        if self.connection is not None:  # parked: nobody waits for it, so end it here
            self.leave()
            self.connection.completed(self.id)

    def leave(self) -> None:
        """Stops delivering to this subscriber (idempotent)."""
        shared = self.shared
        if self not in shared.subscribers:
            return
        shared.subscribers.discard(self)
        shared.hub.subscribers -= 1
        metrics.SUBSCRIPTIONS.dec()
        if not shared.subscribers:
            shared.hub.leave(shared.key, shared)
            shared.close()


class SharedOperation:
    """One operation executed once per event for every subscriber that sent it."""

    __slots__ = (
        "_executor",
        "_pending",
        "_runner",
        "_template",
        "criteria",
        "ends_with",
        "hub",
        "key",
        "subscribers",
        "to_root",
    )

    def __init__(
        self,
        hub: LiveHub,
        key: Hashable,
        criteria: Criteria,
        executor: Executor[Context],
        template: Context,
        to_root: ToRoot,
        ends_with: Callable[[object], bool],
    ) -> None:
        self.hub = hub
        self.key = key
        self.criteria = criteria
        self._executor = executor
        self._template = template
        self.to_root = to_root
        self.ends_with = ends_with
        self.subscribers: set[Subscriber] = set()
        # Events whose execution awaits something (a query), delivered in log order.
        self._pending: deque[tuple[Envelope, object, Awaitable[ExecutionResult]]] = deque()
        self._runner: asyncio.Task[None] | None = None

    def execute(self, envelope: Envelope) -> tuple[object, ExecutionResult | Awaitable[Any]]:
        """Runs the operation for one event, with loaders for this execution alone."""
        root = self.to_root(envelope)
        executor = self._executor.build_per_event_executor(root)
        executor.context_value = replace(
            self._template,
            loaders=create_loaders(self._template.session_factory, self._template.candle_source),
        )
        self.hub.executions += 1
        return root, execute_subscription_event(executor)

    def offer(self, envelope: Envelope) -> None:
        root, result = self.execute(envelope)
        if not isawaitable(result):
            if not self._pending:
                self._deliver(envelope, root, result)
                return
            result = _completed(result)
        if len(self._pending) >= self.hub.queue_capacity:
            # Execution cannot keep up: every subscriber is behind by a whole queue.
            if iscoroutine(result):
                result.close()
            for subscriber in list(self.subscribers):
                subscriber.outlet.drop()
            return
        self._pending.append((envelope, root, result))
        if self._runner is None:
            self._runner = asyncio.create_task(self._run_pending())

    async def _run_pending(self) -> None:
        try:
            while self._pending:
                envelope, root, result = self._pending[0]
                completed = await result
                self._pending.popleft()
                self._deliver(envelope, root, completed)
        finally:
            self._runner = None

    def _deliver(self, envelope: Envelope, root: object, result: ExecutionResult) -> None:
        payload = self.serialize(result)
        key = event_id_key(envelope.id)
        ends = self.ends_with(root)
        metrics.EVENTS_DELIVERED.inc(len(self.subscribers))
        for subscriber in list(self.subscribers):
            subscriber.send(key, payload)
            if ends:
                subscriber.finish()

    def serialize(self, result: ExecutionResult) -> str:
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [self._present(error) for error in result.errors]
        return json.dumps(body, separators=(",", ":"))

    def _present(self, error: GraphQLError) -> dict[str, Any]:
        if is_expected(error):
            return error.formatted  # type: ignore[return-value]
        request_id = self._template.request_id
        logger.error(
            "unexpected error in a live event (request id %s) at %s",
            request_id,
            error.path,
            exc_info=error.original_error,
        )
        return {
            "message": INTERNAL_ERROR_MESSAGE,
            "path": error.path,
            "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        }

    def close(self) -> None:
        if self._runner is not None:
            self._runner.cancel()


async def _completed(result: ExecutionResult) -> ExecutionResult:
    return result


def subscription(
    schema: GraphQLSchema,
    context: Context,
    criteria: Criteria,
    since: str | None,
    to_root: ToRoot,
    ends_with: Callable[[object], bool],
    private_to: Hashable = None,
) -> Coroutine[Any, Any, None]:
    """Checks a new subscription at once, then returns what serves it until it ends.

    `private_to` (e.g. an account id) keeps a subscription whose criteria depend on who
    asked from sharing its operation with anyone else's.

    Refusals found here (no live hub, a malformed `since`, a query over the cost limit)
    raise `ClientError` before the operation starts. The returned coroutine replays from
    `since`, then delivers live; it returns when the subscription is complete (e.g. its
    sync run finished) and is cancelled when the client unsubscribes.
    """
    hub = context.live
    operation = current_operation.get()
    if hub is None or operation is None:
        raise ClientError("LIVE_UNAVAILABLE", "live updates are not enabled on this server")
    if since is not None and not is_event_id(since):
        raise ClientError(
            "INVALID_EVENT_ID", f"{since!r} is not an event id such as '1700000000000-0'"
        )
    variables = operation.variables or {}
    cost = operation_cost(_parsed(operation.query), operation.operation_name, variables)
    if cost > (maximum := context.settings.query_max_cost):
        raise ClientError(
            "QUERY_TOO_COSTLY",
            f"query cost {cost} exceeds the maximum of {maximum}: "
            "ask for smaller pages or fewer nested lists",
        )
    sharing = _Sharing(criteria, to_root, ends_with, private_to)
    return _serve(schema, hub, context, operation, sharing, since)


@dataclass(frozen=True, slots=True)
class _Sharing:
    """What a subscription's shared operation is built from, besides its document."""

    criteria: Criteria
    to_root: ToRoot
    ends_with: Callable[[object], bool]
    private_to: Hashable


async def _serve(
    schema: GraphQLSchema,
    hub: LiveHub,
    context: Context,
    operation: CurrentOperation,
    sharing: _Sharing,
    since: str | None,
) -> None:
    try:
        await hub.wait_started()
        if since is not None:
            await check_not_ahead_of_log(hub, since)
    except ResumeError as error:
        raise ClientError(error.code, str(error)) from error
    shared = _shared_operation(schema, hub, context, operation, sharing)
    start = hub.last_id
    subscriber = Subscriber(shared, operation, event_id_key(start))
    subscriber.held = [] if since is not None else None
    _join(shared, subscriber)
    try:
        if since is not None:
            await _catch_up(shared, subscriber, since, start)
    except ResumeError as error:
        subscriber.leave()
        raise ClientError(error.code, str(error)) from error
    except BaseException:
        subscriber.leave()
        raise
    if subscriber.finished:
        subscriber.leave()
        return  # the operation completes: strawberry sends `complete`
    # No await since the replay ended: no live event can fall between it and parking.
    subscriber.connection = operation.connection
    operation.connection.park(operation.id, subscriber)


async def _catch_up(
    shared: SharedOperation, subscriber: Subscriber, since: str, until: str
) -> None:
    """Replays (since, until] to this subscriber alone, then lets the held live frames go."""
    subscriber.after = event_id_key(since)
    async for envelope in replay(shared.hub, shared.criteria, since, until=until):
        root, result = shared.execute(envelope)
        completed = await result if isawaitable(result) else result
        subscriber.push(event_id_key(envelope.id), shared.serialize(completed))
        if shared.ends_with(root):
            subscriber.finish()
            return
        await subscriber.outlet.room()
        if subscriber.outlet.dropped or subscriber.outlet.closed:
            return  # the connection is closing: its shutdown ends the subscription
    subscriber.go_live()  # what arrived live meanwhile follows, without duplicates


def _shared_operation(
    schema: GraphQLSchema,
    hub: LiveHub,
    context: Context,
    operation: CurrentOperation,
    sharing: _Sharing,
) -> SharedOperation:
    admin = context.is_admin or admin_from_connection_params(
        context.settings, context.connection_params
    )
    variables = operation.variables or {}
    # `since` only decides where a subscriber starts, so it does not split the sharing.
    since_variable = _since_variable(operation.query)
    # The criteria too: per-account subscriptions (alertTriggered) with the same document
    # must never share an operation across accounts.
    key = (
        operation.query,
        operation.operation_name,
        json.dumps({k: v for k, v in variables.items() if k != since_variable}, sort_keys=True),
        admin,
        sharing.criteria,
        sharing.private_to,
    )
    existing = hub.audience(key)
    if isinstance(existing, SharedOperation):
        return existing
    document = _parsed(operation.query)
    template = replace(
        context,
        request_id=f"live-{next(_operation_numbers)}",
        is_admin=admin,
        connection_params=None,
    )
    executor = Executor.build(
        schema,
        document,
        context_value=template,
        raw_variable_values=variables,
        operation_name=operation.operation_name,
    )
    if isinstance(executor, list):  # strawberry validated it already: not expected
        raise ClientError("GRAPHQL_VALIDATION_FAILED", executor[0].message)
    shared = SharedOperation(
        hub, key, sharing.criteria, executor, template, sharing.to_root, sharing.ends_with
    )
    hub.join(key, shared)
    return shared


def _join(shared: SharedOperation, subscriber: Subscriber) -> None:
    shared.subscribers.add(subscriber)
    shared.hub.subscribers += 1
    metrics.SUBSCRIPTIONS.inc()


@lru_cache(maxsize=_PARSED_DOCUMENTS)
def _parsed(query: str) -> DocumentNode:
    return parse(query)


@lru_cache(maxsize=_PARSED_DOCUMENTS)
def _since_variable(query: str) -> str | None:
    """The variable passed as the root field's `since`, if used nowhere else."""
    names: list[str] = []
    candidates: list[str] = []

    class Variables(Visitor):
        def enter_variable(self, node: VariableNode, *_: object) -> None:
            names.append(node.name.value)

        def enter_argument(self, node: ArgumentNode, *_: object) -> None:
            if node.name.value == "since" and isinstance(node.value, VariableNode):
                candidates.append(node.value.name.value)

    visit(_parsed(query), Variables())
    # Declarations count once, the use as `since` once: any other use shares nothing.
    return next((name for name in candidates if names.count(name) == 2), None)
