"""The problems webhook endpoints answer with (texts in api/messages/webhooks.toml)."""

from __future__ import annotations

from api.core.problems import NotFound


class EndpointNotFound(NotFound):
    entry = "webhooks.problems.endpoint-not-found"


class DeliveryNotFound(NotFound):
    entry = "webhooks.problems.delivery-not-found"
