"""A lossy network on loopback: an asyncio TCP proxy that adds latency, caps bandwidth, cuts
connections at random points mid-request or mid-response, and duplicates requests (a second
upstream connection gets the same bytes; its answer is thrown away), the way a mountain 2G/3G
link and a retrying middlebox do."""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
from dataclasses import dataclass, field


@dataclass
class LinkProfile:
    latency: float = 0.003  # seconds added to every chunk forwarded, each way
    bytes_per_second: float = 4_000_000  # per connection and direction
    cut_rate: float = 0.10  # share of connections cut at a random byte
    duplicate_rate: float = 0.05  # share of connections whose request also goes upstream twice
    seed: int = 7


@dataclass
class LinkStats:
    connections: int = 0
    cut_in_request: int = 0
    cut_in_response: int = 0
    duplicated: int = 0
    bytes_up: int = 0  # forwarded from clients to the server
    bytes_down: int = 0  # forwarded from the server to clients
    tasks: set[asyncio.Task[None]] = field(default_factory=set)


class LossyProxy:
    def __init__(self, upstream_port: int, profile: LinkProfile) -> None:
        self.upstream_port = upstream_port
        self.profile = profile
        self.stats = LinkStats()
        self._rng = random.Random(profile.seed)
        self._server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for task in list(self.stats.tasks):
            task.cancel()
        await asyncio.gather(*self.stats.tasks, return_exceptions=True)

    async def _serve(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        self.stats.connections += 1
        # A cut is a fraction of the message (its length read from its HTTP head), so every
        # connection chosen is really cut, whatever the size of what it carries.
        cut_request = cut_response = None
        if self._rng.random() < self.profile.cut_rate:
            if self._rng.random() < 0.5:
                cut_request = self._rng.random()
            else:
                cut_response = self._rng.random()
        twin: asyncio.StreamWriter | None = None
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
            if cut_request is None and self._rng.random() < self.profile.duplicate_rate:
                self.stats.duplicated += 1
                twin_reader, twin = await asyncio.open_connection("127.0.0.1", self.upstream_port)
                self._spawn(self._drain(twin_reader))
        except OSError:
            client_writer.close()
            return
        done = asyncio.Event()
        upstream = self._spawn(
            self._pump(
                client_reader, [up_writer, *([twin] if twin else [])], cut_request, done, "request"
            )
        )
        downstream = self._spawn(
            self._pump(up_reader, [client_writer], cut_response, done, "response")
        )
        await done.wait()
        for task in (upstream, downstream):
            task.cancel()
        for writer in (client_writer, up_writer):
            writer.close()
        if twin is not None:
            # The twin's request was sent in full; let the server finish it on its own.
            self._spawn(self._close_later(twin))

    def _spawn(self, coroutine: object) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.ensure_future(coroutine)  # type: ignore[arg-type]
        self.stats.tasks.add(task)
        task.add_done_callback(self.stats.tasks.discard)
        return task

    async def _pump(
        self,
        reader: asyncio.StreamReader,
        writers: list[asyncio.StreamWriter],
        cut_fraction: float | None,
        done: asyncio.Event,
        direction: str,
    ) -> None:
        sent = 0
        cut_at: int | None = None
        try:
            while True:
                chunk = await reader.read(16384)
                if not chunk:
                    break
                if cut_at is None and cut_fraction is not None:
                    cut_at = int(cut_fraction * _message_length(chunk))
                await asyncio.sleep(
                    self.profile.latency + len(chunk) / self.profile.bytes_per_second
                )
                if cut_at is not None and sent + len(chunk) > cut_at:
                    part = chunk[: max(0, cut_at - sent)]
                    for writer in writers[:1]:
                        writer.write(part)
                        await writer.drain()
                    if direction == "request":
                        self.stats.cut_in_request += 1
                    else:
                        self.stats.cut_in_response += 1
                    for writer in writers[:1]:
                        writer.transport.abort()
                    break
                sent += len(chunk)
                if direction == "request":
                    self.stats.bytes_up += len(chunk)
                else:
                    self.stats.bytes_down += len(chunk)
                for writer in writers:
                    writer.write(chunk)
                    await writer.drain()
        except (ConnectionError, asyncio.CancelledError, OSError):
            pass
        finally:
            done.set()

    async def _drain(self, reader: asyncio.StreamReader) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while await reader.read(65536):
                pass

    async def _close_later(self, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(2)
        writer.close()


_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)


class SlowLink(LossyProxy):
    """The benchmarks' slow link (bench/sync.py, bench/officer_offline.py) rather than the
    simulation's lossy one: each direction is one line shared by every connection (as a modem's
    is), carrying bytes one after another at ``bytes_per_second``; each byte arrives
    ``latency`` (half a round trip) after it was sent, pipelined; a new connection first pays
    one round trip for its TCP handshake. Nothing is cut or duplicated; bytes are counted in
    ``stats``."""

    def __init__(self, upstream_port: int, profile: LinkProfile) -> None:
        super().__init__(upstream_port, profile)
        self._line_free = {"request": 0.0, "response": 0.0}

    async def _serve(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        await asyncio.sleep(2 * self.profile.latency)  # SYN, SYN-ACK
        await super()._serve(client_reader, client_writer)

    async def _pump(
        self,
        reader: asyncio.StreamReader,
        writers: list[asyncio.StreamWriter],
        cut_fraction: float | None,
        done: asyncio.Event,
        direction: str,
    ) -> None:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, bytes] | None] = asyncio.Queue()

        async def deliver() -> None:
            while (item := await queue.get()) is not None:
                at, chunk = item
                await asyncio.sleep(max(0.0, at - loop.time()))
                for writer in writers:
                    writer.write(chunk)
                    await writer.drain()

        delivering = self._spawn(deliver())
        try:
            while chunk := await reader.read(16384):
                start = max(loop.time(), self._line_free[direction])
                self._line_free[direction] = start + len(chunk) / self.profile.bytes_per_second
                if direction == "request":
                    self.stats.bytes_up += len(chunk)
                else:
                    self.stats.bytes_down += len(chunk)
                await queue.put((self._line_free[direction] + self.profile.latency, chunk))
            await queue.put(None)
            await delivering
        except (ConnectionError, OSError):
            pass
        finally:
            delivering.cancel()
            done.set()


def _message_length(first_chunk: bytes) -> int:
    """The whole HTTP message's length from its first chunk (head + Content-Length), or the
    chunk's own length when the head does not say."""
    head_end = first_chunk.find(b"\r\n\r\n")
    if head_end < 0:
        return len(first_chunk)
    found = _CONTENT_LENGTH.search(first_chunk[:head_end])
    body = int(found.group(1)) if found else len(first_chunk) - head_end - 4
    return head_end + 4 + body
