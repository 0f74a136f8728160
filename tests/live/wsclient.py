"""A small graphql-transport-ws client on the `websockets` package, as a third party writes one."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from dataclasses import dataclass, field
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection

PROTOCOL = "graphql-transport-ws"

PRICE_TICKS = """
subscription Ticks($filter: PriceTickFilter, $since: String) {
  priceTicks(filter: $filter, since: $since) {
    eventId listingId kind condition priceUsd source
    minifigure { id figNum name theme }
  }
}
"""


async def open_socket(url: str, **kwargs: Any) -> ClientConnection:
    return await websockets.connect(url, subprotocols=[PROTOCOL], **kwargs)  # type: ignore[list-item]


async def send(ws: ClientConnection, message: dict[str, Any]) -> None:
    await ws.send(json.dumps(message))


async def receive(ws: ClientConnection, timeout_s: float = 10) -> dict[str, Any]:
    """The next message that is not a server ping (pings are answered)."""
    while True:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), timeout_s))
        if message["type"] == "ping":
            await send(ws, {"type": "pong"})
            continue
        return message


async def connect(
    url: str, payload: dict[str, Any] | None = None, **kwargs: Any
) -> ClientConnection:
    ws = await open_socket(url, **kwargs)
    await send(ws, {"type": "connection_init", "payload": payload or {}})
    ack = await receive(ws)
    assert ack["type"] == "connection_ack", ack
    return ws


async def close_code(ws: ClientConnection, timeout_s: float = 10) -> int | None:
    """Reads until the server closes; returns the close code it sent."""
    with contextlib.suppress(websockets.ConnectionClosed):
        async with asyncio.timeout(timeout_s):
            while True:
                await ws.recv()
    return ws.close_code


@dataclass
class Follower:
    """One priceTicks subscription that keeps every event id it receives, in order."""

    url: str
    variables: dict[str, Any] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)
    ticks: list[dict[str, Any]] = field(default_factory=list)
    errors: list[Any] = field(default_factory=list)
    ws: ClientConnection | None = None
    task: asyncio.Task[None] | None = None

    async def start(self, since: str | None = None) -> None:
        self.ws = await connect(self.url)
        variables = self.variables | ({"since": since} if since else {})
        await send(
            self.ws,
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": PRICE_TICKS, "variables": variables},
            },
        )
        self.task = asyncio.create_task(self._read(self.ws))

    async def _read(self, ws: ClientConnection) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            while True:
                message = await receive(ws, timeout_s=3600)
                if message["type"] == "next":
                    payload = message["payload"]
                    if payload.get("errors"):
                        self.errors.append(payload["errors"])
                        continue
                    tick = payload["data"]["priceTicks"]
                    self.ids.append(tick["eventId"])
                    self.ticks.append(tick)
                elif message["type"] == "error":
                    self.errors.append(message["payload"])

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        if self.ws is not None:
            await self.ws.close()

    async def resume(self) -> None:
        await self.stop()
        await self.start(since=self.ids[-1] if self.ids else None)

    async def wait_for(self, last_id: str, timeout_s: float = 30) -> None:
        async with asyncio.timeout(timeout_s):
            while not self.ids or self.ids[-1] != last_id:
                assert not self.errors, self.errors
                await asyncio.sleep(0.02)


def small_receive_buffer_socket(port: int) -> socket.socket:
    """A connected socket whose kernel receive buffer is tiny: backpressure starts at once."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    return sock
