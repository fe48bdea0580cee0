"""Offline sync routes for officers' devices (the protocol: docs/sync.md)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.openapi import ResponseSpec
from litestar.params import Parameter

from api.core.actors import Actor, require_roles
from api.core.i18n import preferred_language
from api.core.problems import problem_responses
from api.sync.dependencies import SERVICES
from api.sync.devices import Device, DeviceService
from api.sync.encoding import negotiated
from api.sync.leases import LeaseService
from api.sync.pull import PullService
from api.sync.push import PushService
from api.sync.receipt_blocks import ReceiptBlockService
from api.sync.schemas import (
    DeviceRead,
    DeviceRegistration,
    LeaseRead,
    LeaseRequest,
    LeaseResult,
    PullPage,
    PushRequest,
    PushResult,
    ReceiptBlock,
    ReceiptBlockRequest,
    UploadCreate,
    UploadState,
)
from api.sync.uploads import UploadService

officer_only = require_roles("officer")
administrators = require_roles("agency_admin", "system_admin")
_MALFORMED = "Malformed request"
_DEVICE_NOTE = (
    "No valid token, or the device is not this officer's (device-unknown) or was revoked "
    "(device-revoked)"
)


def _created_or_replayed(body: Any, created: bool) -> Response[Any]:
    return Response(content=body, status_code=201 if created else 200)


class SyncController(Controller):
    path = "/sync"
    tags = ["Offline sync"]
    security = [{"bearer": []}]
    dependencies = SERVICES

    @post(
        "/devices",
        guards=[officer_only],
        summary="Register this installation of the app as a sync device",
        description="Idempotent by the client-made device_id: 201 when new, 200 when repeated.",
        responses=problem_responses(400, 401, 403, 409, 422, notes={400: _MALFORMED}),
    )
    async def register(
        self, devices: DeviceService, actor: Actor, data: DeviceRegistration
    ) -> Response[DeviceRead]:
        device, created = await devices.register(actor, data)
        return _created_or_replayed(device, created)

    @post(
        "/devices/{device_id:uuid}/revoke",
        guards=[administrators],
        status_code=200,
        summary="Revoke a device: its next request gets 401",
        responses=problem_responses(400, 401, 403, 404, notes={400: _MALFORMED}),
    )
    async def revoke(
        self, devices: DeviceService, actor: Actor, device_id: uuid.UUID
    ) -> DeviceRead:
        return await devices.revoke(actor, device_id)

    @get(
        "/pull",
        guards=[officer_only],
        summary="Changes to the unit's work set since a cursor (no cursor: snapshot)",
        description=(
            "JSON, or MessagePack with Accept: application/msgpack; gzip with "
            "Accept-Encoding: gzip. 410 sync-cursor-expired: pull a new snapshot."
        ),
        responses={
            200: ResponseSpec(data_container=PullPage, description="A page of the work set"),
            **problem_responses(
                400,
                401,
                403,
                410,
                422,
                notes={
                    400: _MALFORMED,
                    401: _DEVICE_NOTE,
                    410: "The cursor cannot be served: pull a new snapshot (sync-cursor-expired)",
                },
            ),
        },
    )
    async def pull(
        self,
        request: Request[Any, Any, Any],
        pull_service: PullService,
        actor: Actor,
        device: Device,
        cursor: Annotated[str | None, Parameter(max_length=400)] = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 200,
    ) -> Response[bytes]:
        page = await pull_service.pull(actor, cursor=cursor, limit=limit)
        return negotiated(request, page)

    @post(
        "/receipt-blocks",
        guards=[officer_only],
        summary="Reserve finished receipt codes for offline counter intake",
        description="Idempotent by the client-made block_id: 201 when new, 200 when repeated.",
        responses=problem_responses(
            400, 401, 403, 422, 503, notes={400: _MALFORMED, 401: _DEVICE_NOTE}
        ),
    )
    async def reserve(
        self,
        receipt_blocks: ReceiptBlockService,
        actor: Actor,
        device: Device,
        data: ReceiptBlockRequest,
    ) -> Response[ReceiptBlock]:
        block, created = await receipt_blocks.reserve(actor, device, data)
        return _created_or_replayed(block, created)

    @post(
        "/push",
        guards=[officer_only],
        status_code=200,
        summary="Apply the device's outbox: one answer per command",
        responses={
            200: ResponseSpec(data_container=PushResult, description="One answer per command"),
            **problem_responses(400, 401, 403, 422, notes={400: _MALFORMED, 401: _DEVICE_NOTE}),
        },
    )
    async def push(
        self,
        request: Request[Any, Any, Any],
        push_service: PushService,
        actor: Actor,
        device: Device,
        data: PushRequest,
    ) -> Response[bytes]:
        language = preferred_language(request.headers.get("accept-language"))
        result = await push_service.push(actor, device, data, language)
        return negotiated(request, result)

    @post(
        "/leases",
        guards=[officer_only],
        status_code=200,
        summary="Check applications of the unit out to this device for offline work",
        description=(
            "Per application: leased (this device holds it; a retried request answers the "
            "same lease) or held (another device holds it). Default and maximum 72 hours. "
            "While a lease is in force, others' moves are refused (409 application-leased)."
        ),
        responses=problem_responses(
            400, 401, 403, 404, 422, notes={400: _MALFORMED, 401: _DEVICE_NOTE}
        ),
    )
    async def take_leases(
        self, leases: LeaseService, actor: Actor, device: Device, data: LeaseRequest
    ) -> LeaseResult:
        return await leases.take(actor, device, data)

    @post(
        "/leases/{lease_id:uuid}/release",
        guards=[officer_only],
        status_code=200,
        summary="End one of the officer's leases early (repeating it answers the same)",
        responses=problem_responses(400, 401, 403, 404, notes={400: _MALFORMED, 401: _DEVICE_NOTE}),
    )
    async def release_lease(
        self, leases: LeaseService, actor: Actor, device: Device, lease_id: uuid.UUID
    ) -> LeaseRead:
        return await leases.release(actor, lease_id)

    @post(
        "/uploads",
        guards=[officer_only],
        summary="Declare a resumable upload",
        description="Idempotent by the client-made upload_id: 201 when new, 200 when repeated.",
        responses=problem_responses(400, 401, 403, 422, notes={400: _MALFORMED, 401: _DEVICE_NOTE}),
    )
    async def declare_upload(
        self, uploads: UploadService, device: Device, data: UploadCreate
    ) -> Response[UploadState]:
        state, created = await uploads.declare(device, data)
        return _created_or_replayed(state, created)

    @get(
        "/uploads/{upload_id:uuid}",
        guards=[officer_only],
        summary="How many bytes of an upload the server holds",
        responses=problem_responses(400, 401, 403, 404, notes={400: _MALFORMED, 401: _DEVICE_NOTE}),
    )
    async def upload_state(
        self, uploads: UploadService, device: Device, upload_id: uuid.UUID
    ) -> Response[UploadState]:
        state = await uploads.state(device, upload_id)
        return Response(content=state, headers={"Upload-Offset": str(state.offset)})

    @patch(
        "/uploads/{upload_id:uuid}",
        guards=[officer_only],
        summary="Append a chunk at Upload-Offset, checked by Upload-Checksum",
        responses=problem_responses(
            400, 401, 403, 404, 409, 422, notes={400: _MALFORMED, 401: _DEVICE_NOTE}
        ),
    )
    async def append_chunk(
        self,
        request: Request[Any, Any, Any],
        uploads: UploadService,
        device: Device,
        upload_id: uuid.UUID,
        body: bytes,
    ) -> Response[UploadState]:
        state = await uploads.append(
            device,
            upload_id,
            offset_header=request.headers.get("upload-offset"),
            checksum_header=request.headers.get("upload-checksum"),
            data=body,
        )
        return Response(content=state, headers={"Upload-Offset": str(state.offset)})
