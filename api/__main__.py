"""``python -m api``: serve the API with uvicorn (host/port from HOST/PORT)."""

from __future__ import annotations

import os
from typing import Any

import uvicorn

from api.settings import SettingsError, load_settings

# The whole request head (request line and headers) a client may send: a phone needs a few KB;
# without a cap the server buffers whatever a hostile client sends.
MAX_REQUEST_HEAD_BYTES = 16 * 1024


def server_options() -> dict[str, Any]:
    """uvicorn options shared by every way of serving the API (tests serve it the same way).
    h11 enforces the head cap while reading; the httptools parser has no such limit."""
    return {
        "http": "h11",
        "h11_max_incomplete_event_size": MAX_REQUEST_HEAD_BYTES,
        "log_config": None,
        "proxy_headers": True,
    }


def main() -> None:
    try:
        load_settings()  # fail before serving, with the message alone, if configuration is unsafe
    except SettingsError as exc:
        raise SystemExit(f"configuration error: {exc}") from None
    uvicorn.run(
        "api.app:create_asgi_app",
        factory=True,
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8000")),
        **server_options(),
    )


if __name__ == "__main__":
    main()
