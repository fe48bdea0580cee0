"""Applications from the applicant's side: file a draft (online, or at the counter by an officer),
edit it, submit it, follow it, withdraw it, and resubmit after a supplement request."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, Response, get, patch, post
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import ResponseSpec
from litestar.params import Parameter

from api.applications.dependencies import SERVICES
from api.applications.filing import FilingService
from api.applications.processing import MoveCommand, ProcessingService
from api.applications.schemas import (
    ActionRequest,
    ApplicationCreate,
    ApplicationPage,
    ApplicationRead,
    ApplicationUpdate,
)
from api.applications.state_machine import Action
from api.applications.views import ViewService
from api.core.actors import (
    CITIZEN_SESSION_CHECKED_BY_HANDLER,
    SignedInRequest,
    citizen_only,
    signed_in,
)
from api.core.openapi import OptionalBodyOperation
from api.core.problems import problem_responses

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

# Notes on problem responses that several routes share (the officer's transitions too).
NOT_FOUND_NOTE = "No such application, or out of the caller's reach (not-found)"
MOVE_CONFLICT_NOTE = (
    "Not allowed in the current status (transition-not-allowed, with allowed_actions), or "
    "changed since expected_version (version-conflict, with current_version)"
)


def _status_change(
    action: Action, *, summary: str, description: str | None = None, problems: dict[int, str]
) -> HTTPRouteHandler:
    """``POST /{application_id}/{action}``: the applicant's move of the state machine, with an
    optional body (note, expected_version, device_time).

    Every move can answer 400, 401, 404, 409 and 422; ``problems`` adds the statuses particular
    to ``action`` and describes them (or replaces the description of a common one).
    """

    async def handler(
        self: Controller,
        processing: ProcessingService,
        request: SignedInRequest,
        application_id: uuid.UUID,
        data: ActionRequest | None = None,
    ) -> ApplicationRead:
        body = data or ActionRequest()
        command = MoveCommand(
            action=action,
            expected_version=body.expected_version,
            note=body.note,
            device_time=body.device_time,
        )
        outcome = await processing.move(request.user, application_id, command)
        return outcome.application

    handler.__name__ = handler.__qualname__ = action  # how logs and tracebacks name it
    return post(
        f"/{{application_id:uuid}}/{action}",
        guards=[signed_in],
        # ProcessingService.move's locked read confirms the session (one round trip less).
        opt={CITIZEN_SESSION_CHECKED_BY_HANDLER: True},
        status_code=200,
        summary=summary,
        description=description,
        operation_class=OptionalBodyOperation,
        responses=problem_responses(
            *sorted({400, 401, 404, 409, 422, *problems}),
            notes={404: NOT_FOUND_NOTE, 409: MOVE_CONFLICT_NOTE, **problems},
        ),
    )(handler)


class ApplicationController(Controller):
    path = "/applications"
    tags = ["Applications"]
    security = [{"bearer": []}]
    dependencies = SERVICES

    @post(
        "/",
        guards=[signed_in],
        # FilingService's first read confirms the session (one round trip less per draft).
        opt={CITIZEN_SESSION_CHECKED_BY_HANDLER: True},
        status_code=201,
        summary="Start an application (a draft)",
        description=(
            "Citizens file for themselves: their declared profile becomes the applicant "
            "(422 profile-incomplete until it is complete). Staff taking an application at the "
            "counter send `applicant`; the draft is filed in their unit with channel 'counter'. "
            "201 with the new draft; 200 when the Idempotency-Key was used before with the same "
            "body."
        ),
        responses={
            200: ResponseSpec(ApplicationRead, description="Replay of an earlier request"),
            **problem_responses(
                400,
                401,
                422,
                notes={
                    422: "Invalid values or Idempotency-Key (validation-failed), the citizen's "
                    "profile is incomplete (profile-incomplete), or the key was used for a "
                    "different body (idempotency-key-reused)"
                },
            ),
        },
    )
    async def create(
        self,
        filing: FilingService,
        request: SignedInRequest,
        idempotency_key: IdempotencyKey,
        data: ApplicationCreate,
    ) -> Response[ApplicationRead]:
        application, created = await filing.create(request.user, idempotency_key, data)
        return Response(application, status_code=201 if created else 200)

    @get(
        "/",
        guards=[citizen_only],
        summary="My applications, newest first",
        responses=problem_responses(400, 401, 403, 422, notes={400: "Malformed request"}),
    )
    async def list_mine(
        self,
        views: ViewService,
        request: SignedInRequest,
        cursor: Annotated[str | None, Parameter(max_length=200)] = None,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
    ) -> ApplicationPage:
        return await views.list_own(request.user, cursor=cursor, limit=limit)

    @get(
        "/{application_id:uuid}",
        guards=[signed_in],
        summary="One application with its status timeline and documents",
        description="Staff reads are recorded in the audit log (action application.read).",
        responses=problem_responses(
            400, 401, 404, notes={400: "Malformed request", 404: NOT_FOUND_NOTE}
        ),
    )
    async def detail(
        self, views: ViewService, request: SignedInRequest, application_id: uuid.UUID
    ) -> ApplicationRead:
        return await views.detail(request.user, application_id)

    @patch(
        "/{application_id:uuid}",
        guards=[signed_in],
        summary="Edit the form of a draft (or while a supplement is requested)",
        description="Merge semantics: the keys given replace the saved ones.",
        responses=problem_responses(
            400,
            401,
            403,
            404,
            409,
            422,
            notes={
                403: "Staff editing an application not taken in at the counter (forbidden)",
                404: NOT_FOUND_NOTE,
                409: "Not editable in its status (application-not-editable), or changed since "
                "expected_version (version-conflict, with current_version)",
            },
        ),
    )
    async def update(
        self,
        filing: FilingService,
        request: SignedInRequest,
        application_id: uuid.UUID,
        data: ApplicationUpdate,
    ) -> ApplicationRead:
        return await filing.update(request.user, application_id, data)

    submit = _status_change(
        "submit",
        summary="Submit a draft: receipt code and due date are assigned",
        description=(
            "Needs every required form field and every required document stored (documents "
            "are not enforced for counter intake: the officer has seen the originals). "
            "Submitting again returns the application unchanged."
        ),
        problems={
            422: "Invalid body (validation-failed), or required fields or documents are "
            "missing (application-incomplete, `errors` names each)",
            503: "The unit has used up today's receipt numbers (receipt-numbers-exhausted) "
            "or a backing service is unavailable (service-unavailable); see Retry-After",
        },
    )
    withdraw = _status_change(
        "withdraw",
        summary="Withdraw an application (draft, submitted or received)",
        problems={403: "Only the citizen withdraws a submitted application (forbidden)"},
    )
    resubmit = _status_change(
        "resubmit",
        summary="Send back an application after adding the requested documents",
        description="The processing clock resumes; the due date moves by the paused working days.",
        problems={
            403: "Staff resubmitting an application not taken in at the counter (forbidden)",
            422: "Invalid body (validation-failed), or requested documents are still "
            "missing (application-incomplete, `errors` names each)",
        },
    )
