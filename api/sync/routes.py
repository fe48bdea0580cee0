"""Route handlers of this feature, registered by api.app."""

from __future__ import annotations

from typing import Any

from api.sync.controller import SyncController

ROUTES: list[Any] = [SyncController]
