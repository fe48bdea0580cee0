"""Counter intake's account look-up: the officer holds a citizen's identity card and phone and
asks whether one account holds both, so the filing can be linked to it.

Both numbers must match exactly, and the answer is that one account or none — never a list and
never a partial match — so the look-up cannot be used to enumerate people. Each officer has a
budget of look-ups per hour, and every look-up (a read of personal data, found or not) is
written to the audit log.
"""

from __future__ import annotations

import asyncpg

from api.accounts.identity import cccd_structure_errors, normalise_vn_mobile
from api.accounts.person_rules import person_field_problem
from api.accounts.problems import CitizenLookupsUsedUp, NoAccountHolds
from api.accounts.repository import CitizenRepository
from api.accounts.schemas import CitizenAccountMatch
from api.applications.journal import write_audit
from api.core.actors import Actor
from api.core.masking import mask_name
from api.core.problems import FieldProblem, RateLimited, validation_failed
from api.core.ratelimit import RateLimiter
from api.settings import Settings

AUDIT_ACTION = "citizen.lookup"


def lookup_numbers(citizen_id_number: str | None, phone: str | None) -> tuple[str, str]:
    """The CCCD and the phone in their stored forms, or one 422 naming every bad one."""
    errors: list[FieldProblem] = []
    cccd = (citizen_id_number or "").strip()
    if not cccd:
        errors.append(FieldProblem("citizen_id_number", "required"))
    else:
        errors += [
            person_field_problem("citizen_id_number", c) for c in cccd_structure_errors(cccd)
        ]
    mobile = None
    if not (phone or "").strip():
        errors.append(FieldProblem("phone", "required"))
    else:
        mobile = normalise_vn_mobile(phone or "")
        if mobile is None:
            errors.append(person_field_problem("phone", "invalid_phone"))
    if errors or mobile is None:
        raise validation_failed(errors)
    return cccd, mobile


class CitizenLookup:
    def __init__(self, conn: asyncpg.Connection, limiter: RateLimiter, settings: Settings) -> None:
        self._conn = conn
        self._limiter = limiter
        self._settings = settings

    async def find(
        self, actor: Actor, citizen_id_number: str | None, phone: str | None
    ) -> CitizenAccountMatch:
        """The account holding both numbers; ``NoAccountHolds`` (404) when none does. The
        budget is spent by every well-formed look-up, found or not."""
        cccd, mobile = lookup_numbers(citizen_id_number, phone)
        try:
            await self._limiter.hit(
                "citizen-lookup",
                str(actor.id),
                limit=self._settings.citizen_lookup_limit,
                window_seconds=self._settings.citizen_lookup_window_seconds,
            )
        except RateLimited as used_up:
            raise CitizenLookupsUsedUp(used_up.members["retry_after"]) from None
        async with self._conn.transaction():
            row = await CitizenRepository(self._conn).holding(cccd, mobile)
            # The note names the account read, never the numbers typed.
            note = f"found {row['id']}" if row is not None else "no account holds both"
            await write_audit(self._conn, actor, AUDIT_ACTION, unit_code=actor.unit_code, note=note)
        if row is None:
            raise NoAccountHolds
        return CitizenAccountMatch(
            name_masked=mask_name(row["full_name"]),
            identity_verified=bool(row["identity_verified"]),
        )
