"""``python -m api``: serve the API with uvicorn (host/port from HOST/PORT)."""

from __future__ import annotations

import os

import uvicorn

from api.settings import SettingsError, load_settings


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
        log_config=None,
        proxy_headers=True,
    )


if __name__ == "__main__":
    main()
