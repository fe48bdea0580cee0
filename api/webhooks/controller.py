"""An agency admin's webhook endpoints and their delivery log (docs/webhooks.md)."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.params import Parameter

from api.core.actors import Actor, require_roles
from api.core.problems import problem_responses
from api.webhooks.dependencies import SERVICES
from api.webhooks.endpoints import EndpointService
from api.webhooks.log import DeliveryLogService
from api.webhooks.schemas import (
    DeliveryPage,
    DeliveryStatus,
    EndpointCreate,
    EndpointCreated,
    EndpointRead,
    EndpointUpdate,
    ReplayQueued,
    ReplaySince,
    SecretRotated,
)

_ONE = {400: "Malformed request", 404: "No such endpoint in my agency (not-found)"}


class WebhookController(Controller):
    path = "/agency/webhooks"
    tags = ["Agency webhooks"]
    security = [{"bearer": []}]
    dependencies = SERVICES
    guards = [require_roles("agency_admin")]

    @post(
        "/",
        status_code=201,
        summary="Register a webhook endpoint (its signing secret is shown once)",
        description=(
            "https only in production, to a public address (checked again at each delivery); "
            "http to loopback in development. `event_types` are the event types of "
            "docs/events.md."
        ),
        responses=problem_responses(400, 401, 403, 422),
    )
    async def create(
        self, endpoints: EndpointService, actor: Actor, data: EndpointCreate
    ) -> EndpointCreated:
        return await endpoints.create(actor, data)

    @get("/", summary="My agency's webhook endpoints", responses=problem_responses(401, 403))
    async def list_endpoints(self, endpoints: EndpointService, actor: Actor) -> list[EndpointRead]:
        return await endpoints.list(actor)

    @get(
        "/{endpoint_id:uuid}",
        summary="One webhook endpoint",
        responses=problem_responses(400, 401, 403, 404, notes=_ONE),
    )
    async def get_endpoint(
        self, endpoints: EndpointService, actor: Actor, endpoint_id: uuid.UUID
    ) -> EndpointRead:
        return await endpoints.get(actor, endpoint_id)

    @patch(
        "/{endpoint_id:uuid}",
        summary="Change an endpoint's URL, event types, description, or turn it on or off",
        description="Turning it on again clears the reason it was turned off.",
        responses=problem_responses(400, 401, 403, 404, 422, notes=_ONE),
    )
    async def update(
        self,
        endpoints: EndpointService,
        actor: Actor,
        endpoint_id: uuid.UUID,
        data: EndpointUpdate,
    ) -> EndpointRead:
        return await endpoints.update(actor, endpoint_id, data)

    @delete(
        "/{endpoint_id:uuid}",
        status_code=204,
        summary="Delete an endpoint and its delivery log",
        responses=problem_responses(400, 401, 403, 404, notes=_ONE),
    )
    async def remove(
        self, endpoints: EndpointService, actor: Actor, endpoint_id: uuid.UUID
    ) -> None:
        await endpoints.delete(actor, endpoint_id)

    @post(
        "/{endpoint_id:uuid}/rotate-secret",
        status_code=200,
        summary="Rotate the signing secret (both are used to sign for 24 hours)",
        responses=problem_responses(400, 401, 403, 404, notes=_ONE),
    )
    async def rotate_secret(
        self, endpoints: EndpointService, actor: Actor, endpoint_id: uuid.UUID
    ) -> SecretRotated:
        return await endpoints.rotate_secret(actor, endpoint_id)

    @get(
        "/{endpoint_id:uuid}/deliveries",
        summary="The endpoint's messages, newest first, each with every attempt",
        responses=problem_responses(400, 401, 403, 404, 422, notes=_ONE),
    )
    async def deliveries(
        self,
        delivery_log: DeliveryLogService,
        actor: Actor,
        endpoint_id: uuid.UUID,
        status: DeliveryStatus | None = None,
        cursor: Annotated[str | None, Parameter(max_length=200)] = None,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
    ) -> DeliveryPage:
        return await delivery_log.list(
            actor, endpoint_id, status=status, cursor=cursor, limit=limit
        )

    @post(
        "/{endpoint_id:uuid}/deliveries/{delivery_id:uuid}/replay",
        status_code=202,
        summary="Send one message again (same webhook-id; the schedule starts over)",
        responses=problem_responses(
            400, 401, 403, 404, notes={**_ONE, 404: "No such endpoint or message (not-found)"}
        ),
    )
    async def replay(
        self,
        delivery_log: DeliveryLogService,
        actor: Actor,
        endpoint_id: uuid.UUID,
        delivery_id: uuid.UUID,
    ) -> ReplayQueued:
        return await delivery_log.replay(actor, endpoint_id, delivery_id)

    @post(
        "/{endpoint_id:uuid}/replay",
        status_code=202,
        summary="Send again every failed message created since a time",
        responses=problem_responses(400, 401, 403, 404, 422, notes=_ONE),
    )
    async def replay_failed(
        self,
        delivery_log: DeliveryLogService,
        actor: Actor,
        endpoint_id: uuid.UUID,
        data: ReplaySince,
    ) -> ReplayQueued:
        return await delivery_log.replay_failed_since(actor, endpoint_id, data.since)
