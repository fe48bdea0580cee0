"""Loading an application for an actor: the one place the access rule meets the database.

Out-of-scope applications are reported as 404, not 403, so ids of other people's files
cannot be probed.
"""

from __future__ import annotations

import uuid

import asyncpg
import msgspec

from api.core.actors import Actor, can_access_application
from api.core.problems import NotFound

_FETCH = """
SELECT a.id, a.citizen_id, a.unit_code, u.agency_code, a.status, a.version, a.procedure_code,
       a.channel
FROM applications a JOIN units u ON u.code = a.unit_code
WHERE a.id = $1
"""
_FETCH_FOR_UPDATE = _FETCH + " FOR UPDATE OF a"


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
    row = await conn.fetchrow(_FETCH_FOR_UPDATE if for_update else _FETCH, application_id)
    if row is None:
        raise application_not_found()
    ref = ApplicationRef(**dict(row))
    if not can_access_application(
        actor, citizen_id=ref.citizen_id, unit_code=ref.unit_code, unit_agency_code=ref.agency_code
    ):
        raise application_not_found()
    if ref.status == "draft" and ref.channel == "online" and actor.kind != "citizen":
        # A citizen's online draft is private until they submit it.
        raise application_not_found()
    return ref
