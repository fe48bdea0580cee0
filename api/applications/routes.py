"""Route handlers of this feature, registered by api.app."""

from __future__ import annotations

from typing import Any

from api.applications.controller import ApplicationController
from api.applications.officer_controller import OfficerController

ROUTES: list[Any] = [ApplicationController, OfficerController]
