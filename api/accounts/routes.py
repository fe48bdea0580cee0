"""Route handlers of this feature, registered by api.app."""

from __future__ import annotations

from typing import Any

from api.accounts.controller import (
    AuthController,
    MeController,
    OfficerCitizenController,
    StaffController,
)

ROUTES: list[Any] = [AuthController, MeController, OfficerCitizenController, StaffController]
