"""Who may keep a copy of a response. Anything about a person is ``no-store`` (the default for
every API route, set on the API router); public reference data may be shared by caches for a
while, public progress only for seconds so a status change shows up almost at once.
``etag_middleware`` (on the API router) lets those public answers be revalidated: ETag, then
304 Not Modified for an If-None-Match naming it."""

from __future__ import annotations

import hashlib
import re
import time
from typing import Any, Generic, TypeVar

import msgspec
from litestar import MediaType, Response
from litestar.datastructures import CacheControlHeader, State
from litestar.enums import ScopeType
from litestar.serialization import encode_json
from litestar.types import ASGIApp, Message, Receive, Scope, Send

K = TypeVar("K")
V = TypeVar("V")

PERSONAL = CacheControlHeader(no_store=True)
PUBLIC_REFERENCE = CacheControlHeader(public=True, max_age=300)
PUBLIC_PROGRESS = CacheControlHeader(public=True, max_age=5)


_PUBLIC = re.compile(rb"(^|[ ,])public([ ,]|$)")


def _matches(if_none_match: bytes, etag: bytes) -> bool:
    """RFC 9110 weak comparison: any listed tag (W/ or not) equal to ours, or ``*``."""
    for candidate in if_none_match.split(b","):
        tag = candidate.strip()
        if tag == b"*" or tag.removeprefix(b"W/") == etag:
            return True
    return False


def etag_middleware(app: ASGIApp) -> ASGIApp:
    """ETag on every 200 GET/HEAD answer that shared caches may keep (``public``), and 304 Not
    Modified when the request's If-None-Match names it. The tag is a hash of the body
    (``etag_of``), so it changes exactly when the answer does, in every process alike; a handler
    that answers with a body it rendered before sends the tag it computed then with
    ``etag_of``, and it is not computed again. Other answers pass through untouched (personal
    ones are ``no-store`` and never get a tag)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] not in ("GET", "HEAD"):
            await app(scope, receive, send)
            return
        start: Any = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                cache_control = next(
                    (v for k, v in message.get("headers", ()) if k.lower() == b"cache-control"),
                    b"",
                )
                if message["status"] == 200 and _PUBLIC.search(cache_control):
                    start = message
                    return
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
                await send_public_answer(scope, start, body, send)
                return
            await send(message)

        await app(scope, receive, capture)

    return middleware


def etag_of(body: bytes) -> str:
    """The strong entity tag of a public answer's body, quotes included."""
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


async def send_public_answer(scope: Scope, start: Any, body: bytes, send: Send) -> None:
    """Send a 200 public answer (``start`` and ``body``) with its ETag (the one in ``start``'s
    headers, else computed), or 304 if the request's If-None-Match names it."""
    headers = start.get("headers", [])
    etag = next((value for name, value in headers if name.lower() == b"etag"), None)
    if etag is None:
        etag = etag_of(body).encode("ascii")
        headers = [*headers, (b"etag", etag)]
    if_none_match = next(
        (value for name, value in scope.get("headers", []) if name == b"if-none-match"), None
    )
    if if_none_match is not None and _matches(if_none_match, etag):
        kept = [
            (name, value)
            for name, value in headers
            if name.lower() in (b"cache-control", b"vary", b"date", b"expires")
        ]
        await send(
            {"type": "http.response.start", "status": 304, "headers": [*kept, (b"etag", etag)]}
        )
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return
    start["headers"] = headers
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})


class Remembered(Generic[K, V]):
    """A few seconds of memory in one process for answers that anyone may see (bounded: at most
    ``max_entries``; expired ones are dropped when it fills up)."""

    def __init__(self, seconds: float, max_entries: int = 10_000) -> None:
        self._seconds = seconds
        self._max_entries = max_entries
        self._entries: dict[K, tuple[float, V]] = {}

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= time.monotonic():
            del self._entries[key]
            return None
        return entry[1]

    def put(self, key: K, value: V) -> None:
        if self._seconds <= 0:
            return
        now = time.monotonic()
        if len(self._entries) >= self._max_entries:
            self._entries = {k: v for k, v in self._entries.items() if v[0] > now}
            if len(self._entries) >= self._max_entries:
                self._entries.clear()
        self._entries[key] = (now + self._seconds, value)


class RenderedAnswer(msgspec.Struct, frozen=True):
    """A public answer as sent: its JSON body and the ETag of that body. Remembered rendered,
    a repeated answer costs neither encoding nor hashing."""

    body: bytes
    etag: str

    @classmethod
    def of(cls, value: Any) -> RenderedAnswer:
        body = encode_json(value)
        return cls(body, etag_of(body))

    def response(self) -> Response[Any]:
        """The answer; the ETag goes along, so ``etag_middleware`` does not hash it again."""
        body: Any = self.body
        return Response(body, media_type=MediaType.JSON, headers={"ETag": self.etag})


def remembered_answers(
    state: State, name: str, seconds: float, max_entries: int = 10_000
) -> Remembered[Any, RenderedAnswer]:
    """The process's memory ``name`` of rendered answers, kept in the app's state (made on
    first use)."""
    memory: Remembered[Any, RenderedAnswer] | None = state.get(name)
    if memory is None:
        memory = state[name] = Remembered(seconds, max_entries)
    return memory
