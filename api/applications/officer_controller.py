"""Processing from the officer's side: the unit's queue and the state-machine transitions.

Citizens use the transitions endpoint too, for the moves that are theirs (confirm_receipt,
withdraw); the state machine's table says who may take each action.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Parameter

from api.applications.controller import MOVE_CONFLICT_NOTE, NOT_FOUND_NOTE
from api.applications.dependencies import SERVICES
from api.applications.processing import MoveCommand, ProcessingService
from api.applications.queue import QueueService
from api.applications.schemas import (
    ApplicationRead,
    QueuePage,
    Sla,
    TransitionRequest,
)
from api.applications.state_machine import QueueStatus
from api.core.actors import SignedInRequest, signed_in, staff_only
from api.core.problems import problem_responses


class OfficerController(Controller):
    path = "/"
    tags = ["Processing"]
    security = [{"bearer": []}]
    dependencies = SERVICES

    @get(
        "/officer/queue",
        guards=[staff_only],
        summary="Applications waiting in my unit, most urgent first",
        description=(
            "Ordered by due date. Without `status`, applications still needing work (not "
            "drafts, not closed). `sla`: overdue (due date passed), due_soon (at most 1 working "
            "day left), on_track; finished applications have none. An application waiting for "
            "the citizen's supplement is measured against its current due date, which moves "
            "when the citizen resubmits."
        ),
        responses=problem_responses(400, 401, 403, 422, notes={400: "Malformed request"}),
    )
    async def queue(
        self,
        queue_service: QueueService,
        request: SignedInRequest,
        status: QueueStatus | None = None,
        sla: Sla | None = None,
        cursor: Annotated[str | None, Parameter(max_length=200)] = None,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
    ) -> QueuePage:
        return await queue_service.queue(
            request.user, status=status, sla=sla, cursor=cursor, limit=limit
        )

    @post(
        "/applications/{application_id:uuid}/transitions",
        guards=[signed_in],
        status_code=200,
        summary="Move an application to its next status",
        description=(
            "One action of the state machine. 409 transition-not-allowed lists the actions "
            "allowed now; 409 version-conflict carries current_version when someone else "
            "changed the application first. set_new_due_date (staff, a late file) needs "
            "`new_due_date` and the apology to the citizen in `note`."
        ),
        responses=problem_responses(
            400,
            401,
            403,
            404,
            409,
            422,
            503,
            notes={
                403: "The action is not the caller's to take, e.g. a citizen receiving (forbidden)",
                404: NOT_FOUND_NOTE,
                409: MOVE_CONFLICT_NOTE,
                422: "Invalid values (validation-failed: a missing note, missing_documents "
                "list or new_due_date, among others), required fields or documents missing "
                "(application-incomplete) or no result document uploaded "
                "(result-document-missing)",
                503: "A submit found the unit's receipt numbers for today used up "
                "(receipt-numbers-exhausted), or a backing service is unavailable "
                "(service-unavailable); see Retry-After",
            },
        ),
    )
    async def transition(
        self,
        processing: ProcessingService,
        request: SignedInRequest,
        application_id: uuid.UUID,
        data: TransitionRequest,
    ) -> ApplicationRead:
        outcome = await processing.move(
            request.user, application_id, MoveCommand.of_transition(data)
        )
        return outcome.application
