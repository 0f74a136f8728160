"""A small graphql-transport-ws client on the `websockets` package, as a third party writes one."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
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


def subscribe_message(op_id: str, **variables: Any) -> dict[str, Any]:
    return {
        "id": op_id,
        "type": "subscribe",
        "payload": {"query": PRICE_TICKS, "variables": variables},
    }


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


_STOP_TIMEOUT_S = 5.0


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
        """Drops the connection as a client going away would: a close handshake, or, when
        the handshake does not finish in time, the TCP connection cut."""
        if self.task is not None:
            self.task.cancel()
            await asyncio.wait([self.task], timeout=_STOP_TIMEOUT_S)
        if self.ws is not None:
            try:
                async with asyncio.timeout(_STOP_TIMEOUT_S):
                    await self.ws.close()
            except TimeoutError:
                self.ws.transport.abort()

    async def resume(self) -> None:
        await self.stop()
        await self.start(since=self.ids[-1] if self.ids else None)

    async def wait_for(self, last_id: str, timeout_s: float = 30) -> None:
        async with asyncio.timeout(timeout_s):
            while not self.ids or self.ids[-1] != last_id:
                assert not self.errors, self.errors
                await asyncio.sleep(0.02)


class StalledClient:
    """A client on a bare socket that subscribes and then stops reading altogether.

    Client libraries keep reading into their own buffers; this one does not, so the
    server's socket buffers fill and its sends block, as with a stuck browser tab.
    """

    def __init__(self, port: int) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.connect(("127.0.0.1", port))
        self.sock.settimeout(10)
        self._received = b""

    def subscribe(self, query: str) -> None:
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            f"GET /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Protocol: {PROTOCOL}\r\n\r\n".encode()
        )
        self._read_until(b"\r\n\r\n")  # the 101 response first: uvicorn drops early frames
        self._send({"type": "connection_init", "payload": {}})
        self._read_until(b"connection_ack")
        self._send({"id": "1", "type": "subscribe", "payload": {"query": query}})

    def _read_until(self, marker: bytes) -> None:
        while marker not in self._received:
            chunk = self.sock.recv(4096)
            assert chunk, f"connection closed while waiting for {marker!r}: {self._received!r}"
            self._received += chunk

    def close_code(self) -> int | None:
        """Reads everything the server sent, up to its close frame; returns the frame's code."""
        data = bytearray(self._received.split(b"\r\n\r\n", 1)[1])
        while True:
            code, consumed = _close_code_in(data)
            if code is not None:
                return code
            if consumed is not None:
                del data[:consumed]
                continue
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                return None
            data += chunk

    def _send(self, message: dict[str, Any]) -> None:
        payload = json.dumps(message).encode()
        mask = os.urandom(4)
        assert len(payload) < 1 << 16
        size = len(payload)
        header = (
            bytes([0x81, 0x80 | size])
            if size < 126
            else bytes([0x81, 0x80 | 126]) + size.to_bytes(2, "big")
        )
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)


def _close_code_in(data: bytearray) -> tuple[int | None, int | None]:
    """(code, None) at a close frame; (None, its length) at another; (None, None): incomplete."""
    if len(data) < 2:
        return None, None
    opcode, length, offset = data[0] & 0x0F, data[1] & 0x7F, 2
    if length == 126:
        length, offset = int.from_bytes(data[2:4], "big"), 4
    elif length == 127:
        length, offset = int.from_bytes(data[2:10], "big"), 10
    if len(data) < offset + length:
        return None, None
    if opcode == 0x8:
        return int.from_bytes(data[offset : offset + 2], "big"), None
    return None, offset + length
