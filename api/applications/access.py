"""Loading an application for an actor: the one place the access rule meets the database.

Out-of-scope applications are reported as 404, not 403, so ids of other people's files
cannot be probed. Lists (the officer queue) filter with ``unit_scope``, derived from the same
rule, so a list holds exactly the applications its reader may open.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import asyncpg
import msgspec

from api.core.actors import Actor, can_access_application, can_act_for_unit
from api.core.problems import NotFound

_FETCH = """
SELECT a.id, a.citizen_id, a.unit_code, u.agency_code, a.status, a.version, a.procedure_code,
       a.channel
FROM applications a JOIN units u ON u.code = a.unit_code
WHERE a.id = $1
"""
_FETCH_FOR_UPDATE = _FETCH + " FOR UPDATE OF a"


class UnitScope(msgspec.Struct, frozen=True):
    """The units an actor acts for, as a SQL filter takes them: every unit, or the units with
    this code or of this agency (a None matches nothing)."""

    every_unit: bool
    unit_code: str | None
    agency_code: str | None


# The filter ``UnitScope`` stands for, over ``units u``; parameters: every_unit, unit_code,
# agency_code (the numbers are the caller's).
UNIT_SCOPE_SQL = "({every_unit} OR u.code = {unit_code} OR u.agency_code = {agency_code})"

_NO_CODE = ""  # a code no unit or agency has


def unit_scope(actor: Actor) -> UnitScope:
    """``can_act_for_unit``, the one rule, asked about every unit, the actor's own unit and the
    actor's own agency: the rule compares only those codes, so the answers are the whole rule."""
    own_unit, own_agency = actor.unit_code, actor.agency_code
    return UnitScope(
        every_unit=can_act_for_unit(actor, _NO_CODE, _NO_CODE),
        unit_code=own_unit if own_unit and can_act_for_unit(actor, own_unit, _NO_CODE) else None,
        agency_code=(
            own_agency if own_agency and can_act_for_unit(actor, _NO_CODE, own_agency) else None
        ),
    )


class ApplicationRef(msgspec.Struct, frozen=True):
    id: uuid.UUID
    citizen_id: uuid.UUID | None
    unit_code: str
    agency_code: str
    status: str
    version: int
    procedure_code: str
    channel: str


def application_not_found() -> Exception:
    return NotFound(entry="applications.problems.application-not-found")


async def application_in_scope(
    conn: asyncpg.Connection, actor: Actor, application_id: uuid.UUID, *, for_update: bool = False
) -> ApplicationRef:
    """The application if ``actor`` may reach it, else a 404 problem.

    With ``for_update`` the row stays locked until the caller's transaction ends, which
    serialises concurrent changes to one application.
    """
    return ref_in_scope(
        actor, await conn.fetchrow(_FETCH_FOR_UPDATE if for_update else _FETCH, application_id)
    )


def ref_in_scope(actor: Actor, row: Mapping[str, Any] | None) -> ApplicationRef:
    """The application of ``row`` (None: there is none; the columns of ``ApplicationRef``
    and maybe more) if ``actor`` may reach it, else a 404 problem."""
    if row is None:
        raise application_not_found()
    ref = ApplicationRef(**{field: row[field] for field in ApplicationRef.__struct_fields__})
    if not can_access_application(
        actor, citizen_id=ref.citizen_id, unit_code=ref.unit_code, unit_agency_code=ref.agency_code
    ):
        raise application_not_found()
    if (
        ref.status == "draft"
        and ref.channel == "online"
        and actor.kind not in ("citizen", "system")
    ):
        # A citizen's online draft is private until they submit it.
        raise application_not_found()
    return ref
