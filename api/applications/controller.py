"""Applications from the applicant's side: file a draft (online, or at the counter by an officer),
edit it, submit it, follow it, withdraw it, and resubmit after a supplement request."""

from __future__ import annotations

import uuid
from typing import Annotated

import asyncpg
from litestar import Controller, Response, get, patch, post
from litestar.datastructures import State
from litestar.openapi import ResponseSpec
from litestar.params import Parameter

from api.applications.schemas import (
    ActionRequest,
    ApplicationCreate,
    ApplicationPage,
    ApplicationRead,
    ApplicationUpdate,
)
from api.applications.service import ApplicationService, Command
from api.applications.state_machine import Action
from api.core.actors import Actor, citizen_only, signed_in

IdempotencyKey = Annotated[
    str | None,
    Parameter(
        header="Idempotency-Key",
        required=True,
        schema_extra={"format": "uuid"},
        description=(
            "A fresh UUID per new application. Retrying with the same key and body returns the "
            "same application; the same key with a different body is refused."
        ),
    ),
]


def _service(db: asyncpg.Connection, state: State) -> ApplicationService:
    return ApplicationService(db, state.admin_units)


async def _act(
    db: asyncpg.Connection,
    state: State,
    actor: Actor,
    application_id: uuid.UUID,
    action: Action,
    data: ActionRequest | None,
) -> ApplicationRead:
    body = data or ActionRequest()
    command = Command(
        action=action,
        expected_version=body.expected_version,
        note=body.note,
        device_time=body.device_time,
    )
    return await _service(db, state).perform(actor, application_id, command)


class ApplicationController(Controller):
    path = "/api/v1/applications"
    tags = ["Applications"]
    security = [{"bearer": []}]

    @post(
        "/",
        guards=[signed_in],
        status_code=201,
        summary="Start an application (a draft)",
        description=(
            "Citizens file for themselves: their declared profile becomes the applicant "
            "(422 profile-incomplete until it is complete). Staff taking an application at the "
            "counter send `applicant`; the draft is filed in their unit with channel 'counter'. "
            "201 with the new draft; 200 when the Idempotency-Key was used before with the same "
            "body."
        ),
        responses={200: ResponseSpec(ApplicationRead, description="Replay of an earlier request")},
    )
    async def create(
        self,
        db: asyncpg.Connection,
        state: State,
        actor: Actor,
        idempotency_key: IdempotencyKey,
        data: ApplicationCreate,
    ) -> Response[ApplicationRead]:
        application, created = await _service(db, state).create(actor, idempotency_key, data)
        return Response(application, status_code=201 if created else 200)

    @get("/", guards=[citizen_only], summary="My applications, newest first")
    async def list_mine(
        self,
        db: asyncpg.Connection,
        state: State,
        actor: Actor,
        cursor: Annotated[str | None, Parameter(max_length=200)] = None,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
    ) -> ApplicationPage:
        return await _service(db, state).list_own(actor, cursor=cursor, limit=limit)

    @get(
        "/{application_id:uuid}",
        guards=[signed_in],
        summary="One application with its status timeline and documents",
        description="Staff reads are recorded in the audit log (action application.read).",
    )
    async def detail(
        self, db: asyncpg.Connection, state: State, actor: Actor, application_id: uuid.UUID
    ) -> ApplicationRead:
        return await _service(db, state).detail(actor, application_id)

    @patch(
        "/{application_id:uuid}",
        guards=[signed_in],
        summary="Edit the form of a draft (or while a supplement is requested)",
        description="Merge semantics: the keys given replace the saved ones.",
    )
    async def update(
        self,
        db: asyncpg.Connection,
        state: State,
        actor: Actor,
        application_id: uuid.UUID,
        data: ApplicationUpdate,
    ) -> ApplicationRead:
        return await _service(db, state).update(actor, application_id, data)

    @post(
        "/{application_id:uuid}/submit",
        guards=[signed_in],
        status_code=200,
        summary="Submit a draft: receipt code and due date are assigned",
        description=(
            "Needs every required form field and every required document stored (documents "
            "are not enforced for counter intake: the officer has seen the originals). "
            "Submitting again returns the application unchanged."
        ),
    )
    async def submit(
        self,
        db: asyncpg.Connection,
        state: State,
        actor: Actor,
        application_id: uuid.UUID,
        data: ActionRequest | None = None,
    ) -> ApplicationRead:
        return await _act(db, state, actor, application_id, "submit", data)

    @post(
        "/{application_id:uuid}/withdraw",
        guards=[signed_in],
        status_code=200,
        summary="Withdraw an application (draft, submitted or received)",
    )
    async def withdraw(
        self,
        db: asyncpg.Connection,
        state: State,
        actor: Actor,
        application_id: uuid.UUID,
        data: ActionRequest | None = None,
    ) -> ApplicationRead:
        return await _act(db, state, actor, application_id, "withdraw", data)

    @post(
        "/{application_id:uuid}/resubmit",
        guards=[signed_in],
        status_code=200,
        summary="Send back an application after adding the requested documents",
        description="The processing clock resumes; the due date moves by the paused working days.",
    )
    async def resubmit(
        self,
        db: asyncpg.Connection,
        state: State,
        actor: Actor,
        application_id: uuid.UUID,
        data: ActionRequest | None = None,
    ) -> ApplicationRead:
        return await _act(db, state, actor, application_id, "resubmit", data)
