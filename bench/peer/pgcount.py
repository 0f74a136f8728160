"""A PostgreSQL wire-protocol proxy that counts the statements its clients send.

pg_stat_statements needs a server restart to load, which a shared server cannot have;
counting at the protocol level works for any client: a simple Query message ('Q') or an
Execute message ('E', extended protocol) is one statement. BEGIN, ROLLBACK and pre-ping
`SELECT 1`s count too: they are round trips the request pays for.
"""

from __future__ import annotations

import asyncio
import struct
import threading
from dataclasses import dataclass, field

_SSL_REQUEST = 80877103
_GSSENC_REQUEST = 80877104


@dataclass
class StatementCounter:
    upstream_host: str
    upstream_port: int
    statements: int = 0
    _loop: asyncio.AbstractEventLoop | None = field(default=None, repr=False)

    def start(self, port: int) -> None:
        """Serves on its own thread and loop: the harness blocks while servers start."""
        started = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            self._loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", port))
            started.set()
            self._loop.run_forever()

        threading.Thread(target=run, daemon=True).start()
        started.wait()

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)

    async def _serve(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        server_reader, server_writer = await asyncio.open_connection(
            self.upstream_host, self.upstream_port
        )
        backward = asyncio.create_task(_pipe(server_reader, client_writer))
        try:
            await self._forward(client_reader, server_writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            server_writer.close()
            backward.cancel()
            client_writer.close()

    async def _forward(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # Untyped start-up messages first (SSL/GSS requests are answered 'N' here: no TLS).
        while True:
            header = await reader.readexactly(8)
            length, code = struct.unpack("!ii", header)
            body = await reader.readexactly(length - 8)
            writer.write(header + body)
            await writer.drain()
            if code not in (_SSL_REQUEST, _GSSENC_REQUEST):
                break
        while True:
            header = await reader.readexactly(5)
            kind = header[:1]
            (length,) = struct.unpack("!i", header[1:])
            body = await reader.readexactly(length - 4)
            if kind in (b"Q", b"E"):
                self.statements += 1
            writer.write(header + body)
            await writer.drain()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()
