"""The problems the agency API answers with (texts in api/messages/agency.toml)."""

from __future__ import annotations

from api.core.problems import NotFound


class ApiKeyNotFound(NotFound):
    """No live key with this id in the caller's agency (revoked keys are gone too)."""

    entry = "agency.problems.api-key-not-found"
