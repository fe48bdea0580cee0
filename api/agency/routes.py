"""Route handlers of this feature, registered by api.app."""

from __future__ import annotations

from typing import Any

from api.agency.controller import AgencyApplicationController, ApiKeyController

ROUTES: list[Any] = [ApiKeyController, AgencyApplicationController]
