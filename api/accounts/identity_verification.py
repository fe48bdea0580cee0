"""Identity verification: someone other than the citizen confirms that the CCCD number, name and
date of birth in a profile are that person's. A number typed into a profile proves nothing, so
unverified profiles may share one; a verified profile holds its number alone, and its citizen
can no longer change those three fields (an officer would).

The applications feature calls ``mark_identity_verified`` when an officer has checked the card
at the counter; the national population database will be a second method.
"""

from __future__ import annotations

import uuid
from typing import Literal

import asyncpg

from api.accounts.person_rules import Person
from api.accounts.problems import AccountNotFound, CitizenIdVerifiedElsewhere
from api.accounts.repository import CitizenRepository
from api.core.problems import FieldProblem, validation_failed

VerificationMethod = Literal["counter", "population_db"]
# The fields a verification vouches for, in the order a 422 lists them.
VERIFIED_FIELDS: tuple[str, ...] = ("citizen_id_number", "full_name", "date_of_birth")
_VERIFIED_CITIZEN_ID_UNIQUE = "citizens_verified_citizen_id_key"


async def mark_identity_verified(
    conn: asyncpg.Connection,
    citizen_id: uuid.UUID,
    staff_id: uuid.UUID | None,
    method: VerificationMethod,
) -> None:
    """Record that ``staff_id`` (required for 'counter') verified the citizen's declared
    identity. Runs in the caller's transaction if there is one (as a savepoint, so a refusal
    leaves that transaction usable). Verifying a verified citizen again changes nothing.

    Raises ``AccountNotFound``, a 422 at ``citizen_id_number`` when no number is declared, and
    ``CitizenIdVerifiedElsewhere`` when another citizen already holds the number verified.
    """
    citizens = CitizenRepository(conn)
    try:
        async with conn.transaction():
            citizen = await citizens.get_for_update(citizen_id)
            if citizen is None:
                raise AccountNotFound()
            if citizen["identity_verified"]:
                return
            if citizen["citizen_id_number"] is None:
                raise validation_failed([FieldProblem("citizen_id_number", "required")])
            await citizens.mark_identity_verified(citizen_id, staff_id, method)
    except asyncpg.UniqueViolationError as exc:
        # The partial unique index is the only check that holds against a concurrent verification.
        if exc.constraint_name == _VERIFIED_CITIZEN_ID_UNIQUE:
            raise CitizenIdVerifiedElsewhere() from exc
        raise


def verified_field_changes(citizen: asyncpg.Record, update: Person) -> list[FieldProblem]:
    """The problems of a profile update that would change what a verification vouched for
    (none when the citizen is not verified)."""
    if not citizen["identity_verified"]:
        return []
    return [
        FieldProblem(name, "identity_verified", "accounts.identity.fixed-after-verification")
        for name in VERIFIED_FIELDS
        if citizen[name] != getattr(update, name)
    ]
