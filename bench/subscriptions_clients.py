"""The bench's WebSocket subscribers: many graphql-transport-ws connections per process.

A deliberately small client (asyncio protocol, frames parsed by hand, no per-message JSON
decoding), so the client processes spend as little of the shared CPU as possible and the
numbers describe the server. Each connection holds one subscription and keeps, for every
`next` frame, the listing id it carried and when it arrived.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import time
from dataclasses import dataclass, field
from typing import Any

_LISTING = b'"listingId":"'


@dataclass
class Received:
    """What one client process saw: (listing global id, arrival time) per frame."""

    frames: list[tuple[bytes, float]] = field(default_factory=list)
    closes: dict[int, int] = field(default_factory=dict)
    count: int = 0
    last_at: float = 0.0


class SubscriberProtocol(asyncio.Protocol):
    def __init__(self, subscribe: bytes, received: Received, keep_frames: bool) -> None:
        self.subscribe = subscribe
        self.received = received
        self.keep_frames = keep_frames
        self.buffer = bytearray()
        self.upgraded = False
        self.acked = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write(
            f"GET /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n".encode()
        )

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            del self.buffer[: end + 4]
            self.upgraded = True
            self._send(b'{"type":"connection_init","payload":{}}')
        self._frames()

    def _frames(self) -> None:
        buffer = self.buffer
        now = time.time()
        offset = 0
        while len(buffer) - offset >= 2:
            opcode, length, start = buffer[offset] & 0x0F, buffer[offset + 1] & 0x7F, offset + 2
            if length == 126:
                if len(buffer) - offset < 4:
                    break
                length, start = int.from_bytes(buffer[offset + 2 : offset + 4], "big"), offset + 4
            elif length == 127:
                if len(buffer) - offset < 10:
                    break
                length, start = int.from_bytes(buffer[offset + 2 : offset + 10], "big"), offset + 10
            if len(buffer) < start + length:
                break
            payload = bytes(buffer[start : start + length])
            offset = start + length
            if opcode == 0x8:
                code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
                self.received.closes[code] = self.received.closes.get(code, 0) + 1
            elif opcode == 0x1:
                self._message(payload, now)
        del buffer[:offset]

    def _message(self, payload: bytes, now: float) -> None:
        if payload.startswith(b'{"id":"'):  # a `next` frame, as the shared operations write it
            self.received.count += 1
            self.received.last_at = now
            if self.keep_frames:
                at = payload.find(_LISTING)
                if at >= 0:
                    end = payload.find(b'"', at + len(_LISTING))
                    self.received.frames.append((payload[at + len(_LISTING) : end], now))
        elif b'"connection_ack"' in payload:
            self._send(self.subscribe)
            if not self.acked.done():
                self.acked.set_result(None)
        elif b'"ping"' in payload:
            self._send(b'{"type":"pong"}')

    def _send(self, text: bytes) -> None:
        assert self.transport is not None
        mask = os.urandom(4)
        size = len(text)
        if size < 126:
            header = bytes([0x81, 0x80 | size])
        else:
            header = bytes([0x81, 0x80 | 126]) + size.to_bytes(2, "big")
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(text))
        self.transport.write(header + mask + masked)


def subscribe_message(query: str, variables: dict[str, Any]) -> bytes:
    message = {"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}}
    return json.dumps(message).encode()


async def run_clients(
    port: int,
    subscriptions: list[bytes],
    keep_frames: bool,
    commands: Any,
    results: Any,
) -> None:
    """Connects every subscription, says "ready", answers "count", reports on "report"."""
    loop = asyncio.get_running_loop()
    received = Received()
    protocols: list[SubscriberProtocol] = []
    for subscribe in subscriptions:
        _, protocol = await loop.create_connection(
            lambda s=subscribe: SubscriberProtocol(s, received, keep_frames), "127.0.0.1", port
        )
        protocols.append(protocol)
        await protocol.acked
    results.put(("ready", len(protocols)))
    while await loop.run_in_executor(None, commands.get) == "count":
        results.put(("count", received.count))
    results.put(("report", received.frames, received.count, received.last_at, received.closes))
    for protocol in protocols:
        if protocol.transport is not None:
            protocol.transport.close()


def client_process(
    port: int, subscriptions: list[bytes], keep_frames: bool, commands: Any, results: Any
) -> None:
    asyncio.run(run_clients(port, subscriptions, keep_frames, commands, results))
