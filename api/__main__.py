"""``python -m api``: serve the API (host/port from HOST/PORT, ``WEB_CONCURRENCY`` worker
processes, one per core by default); options in api/serving.py."""

from __future__ import annotations

import os

import uvicorn

from api.serving import MAX_REQUEST_HEAD_BYTES, server_options, web_concurrency
from api.settings import SettingsError, load_settings

__all__ = ["MAX_REQUEST_HEAD_BYTES", "main", "server_options"]


def main() -> None:
    try:
        load_settings()  # fail before serving, with the message alone, if configuration is unsafe
        workers = web_concurrency()
    except (SettingsError, ValueError) as exc:
        raise SystemExit(f"configuration error: {exc}") from None
    uvicorn.run(
        "api.app:create_asgi_app",
        factory=True,
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8000")),
        workers=workers,
        **server_options(),
    )


if __name__ == "__main__":
    main()
