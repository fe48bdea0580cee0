"""Route handlers of this feature, registered by api.app."""

from __future__ import annotations

from typing import Any

from api.webhooks.controller import WebhookController

ROUTES: list[Any] = [WebhookController]
