"""Route handlers of this feature, registered by api.app."""

from __future__ import annotations

from typing import Any

from api.accounts.controller import AuthController, MeController, StaffController

ROUTES: list[Any] = [AuthController, MeController, StaffController]
