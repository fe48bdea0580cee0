"""Route handlers of this feature, registered by api.app."""

from __future__ import annotations

from typing import Any

from api.push.controller import PushController

ROUTES: list[Any] = [PushController]
