"""Route handlers of this feature, registered by api.app."""

from __future__ import annotations

from typing import Any

from api.tracking.controller import PublicStatsController, TrackingController

ROUTES: list[Any] = [TrackingController, PublicStatsController]
