"""Processing from the officer's side: the unit's queue and the state-machine transitions.

Citizens use the transitions endpoint too, for the moves that are theirs (confirm_receipt,
withdraw); the state machine's table says who may take each action.
"""

from __future__ import annotations

import uuid
from typing import Annotated

import asyncpg
from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.params import Parameter

from api.applications.schemas import (
    ApplicationRead,
    QueuePage,
    QueueStatus,
    Sla,
    TransitionRequest,
)
from api.applications.service import ApplicationService, Command
from api.core.actors import Actor, signed_in, staff_only


class OfficerController(Controller):
    path = "/api/v1"
    tags = ["Processing"]
    security = [{"bearer": []}]

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
    )
    async def queue(
        self,
        db: asyncpg.Connection,
        state: State,
        actor: Actor,
        status: QueueStatus | None = None,
        sla: Sla | None = None,
        cursor: Annotated[str | None, Parameter(max_length=200)] = None,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
    ) -> QueuePage:
        service = ApplicationService(db, state.admin_units)
        return await service.queue(actor, status=status, sla=sla, cursor=cursor, limit=limit)

    @post(
        "/applications/{application_id:uuid}/transitions",
        guards=[signed_in],
        status_code=200,
        summary="Move an application to its next status",
        description=(
            "One action of the state machine. 409 transition-not-allowed lists the actions "
            "allowed now; 409 version-conflict carries current_version when someone else "
            "changed the application first."
        ),
    )
    async def transition(
        self,
        db: asyncpg.Connection,
        state: State,
        actor: Actor,
        application_id: uuid.UUID,
        data: TransitionRequest,
    ) -> ApplicationRead:
        command = Command(
            action=data.action,
            expected_version=data.expected_version,
            note=data.note,
            missing_documents=data.missing_documents,
            device_time=data.device_time,
        )
        service = ApplicationService(db, state.admin_units)
        return await service.perform(actor, application_id, command)
