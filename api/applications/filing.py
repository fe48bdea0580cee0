"""Filing: starting a draft (a citizen online, or an officer at the counter) and editing its
form. Submitting and withdrawing are moves of the state machine: ``processing.move``."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import asyncpg
import msgspec

from api.accounts.profile import missing_profile_fields, profile_field_label
from api.applications.access import application_in_scope
from api.applications.events import Created
from api.applications.intake import (
    account_of,
    applicant_address,
    applicant_from_counter,
    verify_identity_at_counter,
)
from api.applications.journal import write_audit
from api.applications.problems import (
    ApplicationNotEditable,
    IdempotencyKeyReused,
    ProfileIncomplete,
    VersionConflict,
)
from api.applications.processing import change_event
from api.applications.repository import ApplicationRepository
from api.applications.schemas import (
    Applicant,
    ApplicationCreate,
    ApplicationRead,
    ApplicationUpdate,
    Channel,
)
from api.applications.state_machine import EDITABLE, parties_of
from api.applications.views import application_view
from api.catalogue.forms import stored_field_definitions, validate_form
from api.core.actors import Actor, can_act_for_unit, unauthenticated
from api.core.logging import request_id_var
from api.core.problems import FieldProblem, Forbidden, validation_failed
from api.geo.directory import AdminUnits
from api.messages import msg


def parse_idempotency_key(raw: str | None) -> uuid.UUID:
    """The ``Idempotency-Key`` header as a UUID, or a 422 problem naming the header."""
    if not raw:
        raise validation_failed(
            [
                FieldProblem(
                    "Idempotency-Key", "required", "applications.fields.idempotency-key-required"
                )
            ]
        )
    try:
        return uuid.UUID(raw.strip())
    except ValueError as exc:
        raise validation_failed(
            [
                FieldProblem(
                    "Idempotency-Key", "invalid", "applications.fields.idempotency-key-invalid"
                )
            ]
        ) from exc


def request_fingerprint(body: ApplicationCreate) -> str:
    """sha256 of the body in canonical JSON (sorted keys), so key order and spacing don't count."""
    return hashlib.sha256(msgspec.json.encode(body, order="sorted")).hexdigest()


class FilingService:
    def __init__(self, conn: asyncpg.Connection, units: AdminUnits) -> None:
        self._conn = conn
        self._units = units
        self._repo = ApplicationRepository(conn)

    async def create(
        self, actor: Actor, idempotency_key: str | None, body: ApplicationCreate
    ) -> tuple[ApplicationRead, bool]:
        """The new draft and True, or the draft made earlier with this key and False.

        A citizen's draft takes two round trips, the guard's session check included: one read
        (``filing_context``, which also confirms the session) and one statement writing the
        draft with its audit row and event, which needs no transaction around it. At the
        counter the account's identity may be verified too, so both go in one transaction."""
        key = parse_idempotency_key(idempotency_key)
        fingerprint = request_fingerprint(body)
        if actor.kind == "citizen":
            return await self._create(actor, key, fingerprint, body)
        async with self._conn.transaction():
            return await self._create(actor, key, fingerprint, body)

    async def _create(
        self, actor: Actor, key: uuid.UUID, fingerprint: str, body: ApplicationCreate
    ) -> tuple[ApplicationRead, bool]:
        citizen = actor.kind == "citizen"
        context = await self._repo.filing_context(
            body.procedure_code,
            actor.kind,
            actor.id,
            key,
            actor.id if citizen else None,
            actor.session_id if citizen else None,
        )
        # The create route leaves a citizen's session to this read
        # (CITIZEN_SESSION_CHECKED_BY_HANDLER): nothing happens before it is known live.
        if citizen and not context["session_live"]:
            raise unauthenticated()
        if context["earlier_id"] is not None:
            return await self._replay(
                actor, context["earlier_id"], context["earlier_fingerprint"], fingerprint
            ), False
        procedure = self._procedure_for_filing(context, actor)
        if citizen:
            if body.applicant is not None:
                raise validation_failed(
                    [
                        FieldProblem(
                            "applicant",
                            "not_allowed",
                            "applications.fields.applicant-not-allowed",
                        )
                    ]
                )
            profile = self._complete_profile(context)
            applicant = self._applicant_from_profile(profile)
            unit_code = await self._citizen_unit(procedure, profile, body.unit_code)
            citizen_id: uuid.UUID | None = actor.id
            channel: Channel = "online"
        else:
            applicant = applicant_from_counter(body.applicant, self._units)
            unit_code = await self._counter_unit(procedure, actor, body.unit_code)
            citizen_id = await account_of(self._repo, applicant)
            channel = "counter"
        form = self._validated(procedure["form_fields"], body.form, partial=True)
        created = change_event(
            actor,
            {
                "id": uuid.uuid4(),
                "receipt_code": None,
                "procedure_code": procedure["code"],
                "unit_code": unit_code,
                "citizen_id": citizen_id,
                "channel": channel,
                "version": 1,  # the column's default
                "updated_at": context["now"],  # written as created_at and updated_at
                "due_date": None,
                "status": "draft",
            },
            Created,
            seq=1,
            from_status=None,
            note=None,
        )
        row = await self._repo.insert_draft_with_journal(
            created,
            applicant=msgspec.to_builtins(applicant),
            form=form,
            actor_id=actor.id,
            request_fingerprint=fingerprint,
            idempotency_key=key,
            request_id=request_id_var.get(),
        )
        if row is None:  # a concurrent retry with the same key won the insert
            winner = await self._repo.by_idempotency_key(actor.kind, actor.id, key)
            assert winner is not None
            return await self._replay(
                actor, winner["id"], winner["request_fingerprint"], fingerprint
            ), False
        # At the counter the officer holds the card: a matching account becomes verified.
        if (
            channel == "counter"
            and citizen_id is not None
            and await verify_identity_at_counter(self._conn, actor, applicant, citizen_id)
        ):
            await write_audit(
                self._conn,
                actor,
                "citizen.identity_verified",
                application_id=row["id"],
                unit_code=unit_code,
                note=str(citizen_id),
            )
            row = await self._repo.application(row["id"])  # now with the verification
        # Nothing else was written for a new draft: its one event, no documents.
        view = await application_view(
            self._repo, actor, row, events=[(created, context["now"])], documents=[]
        )
        return view, True

    async def update(
        self, actor: Actor, application_id: uuid.UUID, body: ApplicationUpdate
    ) -> ApplicationRead:
        async with self._conn.transaction():
            ref = await application_in_scope(self._conn, actor, application_id, for_update=True)
            if not parties_of(actor.kind, ref.channel) & {"citizen", "counter_staff"}:
                raise Forbidden()
            if ref.status not in EDITABLE:
                raise ApplicationNotEditable(current_status=ref.status)
            if body.expected_version is not None and body.expected_version != ref.version:
                raise VersionConflict(current_version=ref.version)
            row = await self._repo.application(application_id)
            changes = self._validated(row["form_fields"], body.form, partial=True)
            await self._repo.update_form(application_id, {**row["form"], **changes})
            await write_audit(
                self._conn,
                actor,
                "application.form_updated",
                application_id=application_id,
                unit_code=ref.unit_code,
                from_status=ref.status,
                to_status=ref.status,
            )
            changed = await self._repo.application(application_id)
            return await application_view(self._repo, actor, changed)

    async def _replay(
        self,
        actor: Actor,
        earlier_id: uuid.UUID,
        earlier_fingerprint: str,
        fingerprint: str,
    ) -> ApplicationRead:
        if earlier_fingerprint != fingerprint:
            raise IdempotencyKeyReused(application_id=str(earlier_id))
        row = await self._repo.application(earlier_id)
        return await application_view(self._repo, actor, row)

    def _procedure_for_filing(self, procedure: asyncpg.Record, actor: Actor) -> asyncpg.Record:
        """``procedure`` (columns of ``filing_context``) if it may be filed by ``actor``."""
        if procedure["code"] is None or not procedure["active"]:
            raise validation_failed(
                [
                    FieldProblem(
                        "procedure_code",
                        "unknown_procedure",
                        "applications.fields.unknown-procedure",
                    )
                ]
            )
        if actor.kind == "citizen" and procedure["service_level"] == "info":
            raise validation_failed(
                [FieldProblem("procedure_code", "not_online", "applications.fields.not-online")]
            )
        return procedure

    async def _citizen_unit(
        self, procedure: asyncpg.Record, profile: asyncpg.Record, requested: str | None
    ) -> str:
        """Where a citizen's application goes: the unit they name, else the unit of their
        permanent address at the procedure's level (commune code, or 'P' + province code)."""
        if requested is None:
            if procedure["agency_level"] == "commune":
                return str(profile["commune_code"])
            return "P" + str(profile["province_code"])
        await self._unit_of_level(requested, procedure["agency_level"])
        return requested

    async def _counter_unit(
        self, procedure: asyncpg.Record, actor: Actor, requested: str | None
    ) -> str:
        """Counter intake files in the officer's own unit; staff without one (agency or system
        administrators) name a unit in their scope."""
        unit_code = requested or actor.unit_code
        if unit_code is None:
            raise validation_failed(
                [FieldProblem("unit_code", "required", "applications.fields.unit-required")]
            )
        unit = await self._unit_of_level(unit_code, procedure["agency_level"])
        if not can_act_for_unit(actor, unit["code"], unit["agency_code"]):
            raise validation_failed(
                [FieldProblem("unit_code", "out_of_scope", "applications.fields.unit-out-of-scope")]
            )
        return unit_code

    async def _unit_of_level(self, unit_code: str, level: str) -> asyncpg.Record:
        unit = await self._repo.unit(unit_code)
        if unit is None:
            raise validation_failed(
                [FieldProblem("unit_code", "unknown_unit", "applications.fields.unknown-unit")]
            )
        if unit["level"] != level:
            raise validation_failed(
                [
                    FieldProblem(
                        "unit_code",
                        "wrong_level",
                        "applications.fields.wrong-level",
                        level=msg(f"applications.levels.{level}"),
                    )
                ]
            )
        return unit

    def _validated(
        self, raw_fields: Any, values: dict[str, Any], *, partial: bool
    ) -> dict[str, Any]:
        result = validate_form(
            stored_field_definitions(raw_fields), values, self._units, partial=partial
        )
        if result.errors:
            raise validation_failed(result.errors)
        return result.cleaned

    def _complete_profile(self, profile: asyncpg.Record) -> asyncpg.Record:
        """``profile`` (the citizen's columns of ``filing_context``) if it is complete."""
        missing = missing_profile_fields(profile)
        if missing:
            raise ProfileIncomplete(
                errors=[
                    FieldProblem(
                        f"profile.{name}",
                        "required",
                        "applications.fields.profile-field-missing",
                        field=profile_field_label(name),
                    )
                    for name in missing
                ],
                missing=missing,
            )
        return profile

    def _applicant_from_profile(self, profile: asyncpg.Record) -> Applicant:
        return Applicant(
            full_name=profile["full_name"],
            date_of_birth=profile["date_of_birth"],
            gender=profile["gender"],
            citizen_id_number=profile["citizen_id_number"],
            phone=profile["phone"],
            address=applicant_address(
                self._units, profile["province_code"], profile["commune_code"], profile["street"]
            ),
        )
