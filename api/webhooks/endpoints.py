"""An agency's webhook endpoints: register (the signing secret shown once), read, change,
delete, and rotate the secret (the previous one keeps signing beside it for 24 hours)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, get_args

import asyncpg

from api.applications.events import ApplicationEvent, event_type
from api.applications.journal import write_audit
from api.clients.webhook_targets import Resolver, UnsafeTarget, check_target, system_resolver
from api.core.actors import Actor
from api.core.problems import FieldProblem, validation_failed
from api.settings import Settings
from api.webhooks.problems import EndpointNotFound
from api.webhooks.repository import WebhookRepository
from api.webhooks.schemas import (
    EndpointCreate,
    EndpointCreated,
    EndpointRead,
    EndpointUpdate,
    SecretRotated,
)
from api.webhooks.signing_secrets import SecretBox, new_signing_secret

EVENT_TYPES: frozenset[str] = frozenset(event_type(cls) for cls in get_args(ApplicationEvent))
ROTATION_OVERLAP = timedelta(hours=24)


def endpoint_read(row: asyncpg.Record) -> EndpointRead:
    return EndpointRead(**{field: row[field] for field in EndpointRead.__struct_fields__})


def unsafe_url(error: UnsafeTarget) -> Exception:
    key = "webhooks.fields." + error.reason.replace("_", "-")
    return validation_failed([FieldProblem("url", error.reason, key)])


class EndpointService:
    def __init__(
        self,
        conn: asyncpg.Connection,
        settings: Settings,
        secret_box: SecretBox,
        resolve: Resolver = system_resolver,
    ) -> None:
        self._conn = conn
        self._settings = settings
        self._box = secret_box
        self._resolve = resolve
        self._repo = WebhookRepository(conn)

    async def _check(self, url: str | None, event_types: list[str] | None) -> None:
        errors = [
            FieldProblem(
                f"event_types[{i}]",
                "unknown_event_type",
                "webhooks.fields.unknown-event-type",
                name=name,
            )
            for i, name in enumerate(event_types or [])
            if name not in EVENT_TYPES
        ]
        if errors:
            raise validation_failed(errors)
        if url is not None:
            try:
                await check_target(
                    url, production=self._settings.is_production, resolve=self._resolve
                )
            except UnsafeTarget as error:
                raise unsafe_url(error) from None

    async def create(self, actor: Actor, data: EndpointCreate) -> EndpointCreated:
        assert actor.agency_code is not None  # agency admins only
        await self._check(data.url, data.event_types)
        secret = new_signing_secret()
        async with self._conn.transaction():
            row = await self._repo.insert_endpoint(
                actor.agency_code,
                data.url,
                sorted(set(data.event_types)),
                data.description,
                self._box.seal(secret),
            )
            await write_audit(self._conn, actor, "agency.webhook.create", note=str(row["id"]))
        return EndpointCreated(**msgspec_fields(endpoint_read(row)), secret=secret)

    async def list(self, actor: Actor) -> list[EndpointRead]:
        assert actor.agency_code is not None
        return [endpoint_read(row) for row in await self._repo.endpoints(actor.agency_code)]

    async def get(self, actor: Actor, endpoint_id: uuid.UUID) -> EndpointRead:
        return endpoint_read(await self._own(actor, endpoint_id))

    async def _own(
        self, actor: Actor, endpoint_id: uuid.UUID, *, for_update: bool = False
    ) -> asyncpg.Record:
        assert actor.agency_code is not None
        row = await self._repo.endpoint(endpoint_id, actor.agency_code, for_update=for_update)
        if row is None:
            raise EndpointNotFound()
        return row

    async def update(
        self, actor: Actor, endpoint_id: uuid.UUID, data: EndpointUpdate
    ) -> EndpointRead:
        await self._check(data.url, data.event_types)
        changes: dict[str, Any] = {}
        if data.url is not None:
            changes["url"] = data.url
        if data.event_types is not None:
            changes["event_types"] = sorted(set(data.event_types))
        if data.description is not None:
            changes["description"] = data.description
        if data.enabled is not None:
            changes["enabled"] = data.enabled
            changes["disabled_reason"] = None if data.enabled else "manual"
            if data.enabled:
                changes["failing_since"] = None  # a fresh start for the 5-day rule
        async with self._conn.transaction():
            row = await self._own(actor, endpoint_id, for_update=True)
            if changes:
                row = await self._repo.update_endpoint(endpoint_id, **changes)
                await write_audit(self._conn, actor, "agency.webhook.update", note=str(endpoint_id))
        return endpoint_read(row)

    async def delete(self, actor: Actor, endpoint_id: uuid.UUID) -> None:
        assert actor.agency_code is not None
        async with self._conn.transaction():
            if not await self._repo.delete_endpoint(endpoint_id, actor.agency_code):
                raise EndpointNotFound()
            await write_audit(self._conn, actor, "agency.webhook.delete", note=str(endpoint_id))

    async def rotate_secret(self, actor: Actor, endpoint_id: uuid.UUID) -> SecretRotated:
        secret = new_signing_secret()
        overlap_until = datetime.now(UTC) + ROTATION_OVERLAP
        async with self._conn.transaction():
            await self._own(actor, endpoint_id, for_update=True)
            await self._repo.rotate_secret(endpoint_id, self._box.seal(secret), overlap_until)
            await write_audit(
                self._conn, actor, "agency.webhook.rotate_secret", note=str(endpoint_id)
            )
        return SecretRotated(secret=secret, previous_secret_expires_at=overlap_until)


def msgspec_fields(value: EndpointRead) -> dict[str, Any]:
    return {field: getattr(value, field) for field in value.__struct_fields__}
