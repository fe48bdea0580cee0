"""The agency API: an agency admin's API keys, and the applications an agency's own systems
read and move with such a key (``Authorization: Bearer mc_live_…``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from litestar import Controller, delete, get, post
from litestar.params import Parameter

from api.agency.dependencies import SERVICES
from api.agency.feed import AgencyFeedService
from api.agency.keys import ApiKeyService
from api.agency.schemas import AgencyApplicationPage, ApiKeyCreate, ApiKeyCreated, ApiKeyRead
from api.applications.controller import MOVE_CONFLICT_NOTE, NOT_FOUND_NOTE
from api.applications.processing import MoveCommand, ProcessingService
from api.applications.schemas import ApplicationRead, TransitionRequest
from api.applications.state_machine import QueueStatus
from api.applications.views import ViewService
from api.core.actors import Actor, require_roles
from api.core.problems import problem_responses

agency_admin_only = require_roles("agency_admin")
# The agency's systems with a key; an agency admin signed in may read and act the same way.
agency_systems = require_roles("agency_api", "agency_admin")


class ApiKeyController(Controller):
    path = "/agency/api-keys"
    tags = ["Agency API"]
    security = [{"bearer": []}]
    dependencies = SERVICES
    guards = [agency_admin_only]

    @post(
        "/",
        status_code=201,
        summary="Create an API key for my agency (shown once)",
        description="Only the key's hash is kept: copy `key` now; it cannot be shown again.",
        responses=problem_responses(400, 401, 403, 422),
    )
    async def create(
        self, api_keys: ApiKeyService, actor: Actor, data: ApiKeyCreate
    ) -> ApiKeyCreated:
        return await api_keys.create(actor, data.name)

    @get("/", summary="My agency's live API keys", responses=problem_responses(401, 403))
    async def list_keys(self, api_keys: ApiKeyService, actor: Actor) -> list[ApiKeyRead]:
        return await api_keys.list(actor)

    @delete(
        "/{key_id:uuid}",
        status_code=204,
        summary="Revoke an API key (refused from its next call on)",
        responses=problem_responses(
            400,
            401,
            403,
            404,
            notes={400: "Malformed request", 404: "No such live key (not-found)"},
        ),
    )
    async def revoke(self, api_keys: ApiKeyService, actor: Actor, key_id: uuid.UUID) -> None:
        await api_keys.revoke(actor, key_id)


class AgencyApplicationController(Controller):
    path = "/agency/applications"
    tags = ["Agency API"]
    security = [{"bearer": []}]
    dependencies = SERVICES
    guards = [agency_systems]

    @get(
        "/",
        summary="Changes to my agency's applications, in commit order",
        description=(
            "A change feed: keep `next_cursor` and pass it back as `cursor` to get every "
            "change after the last one you saw, never skipping one (an application appears at "
            "its latest state). Without a cursor, `updated_since` (a time with its offset) "
            "starts at the first change made at or after it (a few earlier changes may repeat); "
            "with neither, the feed starts at the beginning. `caught_up` is true when nothing "
            "more is readable now. `status` keeps applications in that status (a cursor is "
            "bound to the filter it was made with). Online drafts are not listed."
        ),
        responses=problem_responses(400, 401, 403, 422, 429, notes={422: "Invalid cursor"}),
    )
    async def changes(
        self,
        feed: AgencyFeedService,
        actor: Actor,
        updated_since: Annotated[
            datetime | None, Parameter(description="e.g. 2026-11-23T08:15:00+07:00")
        ] = None,
        status: QueueStatus | None = None,
        cursor: Annotated[str | None, Parameter(max_length=200)] = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 100,
    ) -> AgencyApplicationPage:
        return await feed.changes(
            actor, cursor=cursor, updated_since=updated_since, status=status, limit=limit
        )

    @get(
        "/{application_id:uuid}",
        summary="One of my agency's applications, with its timeline and documents",
        description="Each read is recorded in the audit log with the key as actor.",
        responses=problem_responses(
            400, 401, 403, 404, 429, notes={400: "Malformed request", 404: NOT_FOUND_NOTE}
        ),
    )
    async def detail(
        self, views: ViewService, actor: Actor, application_id: uuid.UUID
    ) -> ApplicationRead:
        return await views.detail(actor, application_id)

    @post(
        "/{application_id:uuid}/transitions",
        status_code=200,
        summary="Move one of my agency's applications to its next status",
        description=(
            "The same state machine and rules as an officer's transitions; audited with the "
            "key as actor."
        ),
        responses=problem_responses(
            400,
            401,
            403,
            404,
            409,
            422,
            429,
            notes={404: NOT_FOUND_NOTE, 409: MOVE_CONFLICT_NOTE},
        ),
    )
    async def transition(
        self,
        processing: ProcessingService,
        actor: Actor,
        application_id: uuid.UUID,
        data: TransitionRequest,
    ) -> ApplicationRead:
        outcome = await processing.move(actor, application_id, MoveCommand.of_transition(data))
        return outcome.application
