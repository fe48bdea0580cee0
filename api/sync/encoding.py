"""Answers in the shape a slow link wants: MessagePack on ``Accept: application/msgpack``,
gzip on ``Accept-Encoding: gzip`` (JSON otherwise)."""

from __future__ import annotations

import gzip
from typing import Any

import msgspec
from litestar import Request, Response

MSGPACK = "application/msgpack"
JSON = "application/json"
# Below this a gzip header costs more than it saves.
_GZIP_FROM_BYTES = 512


def _accepts(header: str | None, wanted: str) -> bool:
    """Whether a comma-separated Accept-style header lists ``wanted`` with a non-zero q."""
    for part in (header or "").lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() != wanted:
            continue
        q = params.strip()
        return not (q.startswith("q=") and q[2:].strip() in ("0", "0.0", "0.00", "0.000"))
    return False


def negotiated(
    request: Request[Any, Any, Any], body: Any, status_code: int = 200
) -> Response[bytes]:
    """``body`` (a Struct) encoded as the client asked."""
    if _accepts(request.headers.get("accept"), MSGPACK):
        content, media_type = msgspec.msgpack.encode(body), MSGPACK
    else:
        content, media_type = msgspec.json.encode(body), JSON
    headers = {"Vary": "Accept, Accept-Encoding"}
    if len(content) >= _GZIP_FROM_BYTES and _accepts(
        request.headers.get("accept-encoding"), "gzip"
    ):
        content = gzip.compress(content, compresslevel=6)
        headers["Content-Encoding"] = "gzip"
    return Response(
        content=content, media_type=media_type, status_code=status_code, headers=headers
    )
