"""Counter intake: the applicant an officer types in from the identity card, and the citizen
account the filing belongs to.

The applicant's details follow the profile's rules (``api.accounts.person_rules``).
"""

from __future__ import annotations

import logging
import uuid

import asyncpg

from api.accounts.identity_verification import mark_identity_verified
from api.accounts.person_rules import PersonInput, clean_person
from api.accounts.problems import CitizenIdVerifiedElsewhere
from api.accounts.repository import CitizenRepository
from api.applications.repository import ApplicationRepository
from api.applications.schemas import Applicant, ApplicantAddress, ApplicantInput
from api.core.actors import Actor
from api.core.clock import vn_today
from api.core.problems import FieldProblem, validation_failed
from api.geo.directory import AdminUnits

logger = logging.getLogger(__name__)


def applicant_address(
    units: AdminUnits, province_code: str, commune_code: str, street: str
) -> ApplicantAddress:
    province = units.province(province_code)
    commune = units.commune(commune_code)
    return ApplicantAddress(
        province_code=province_code,
        province_name=province.name_vi if province else "",
        commune_code=commune_code,
        commune_name=commune.name_vi if commune else "",
        street=street,
    )


def applicant_from_counter(given: ApplicantInput | None, units: AdminUnits) -> Applicant:
    """The applicant typed at the counter, held to the same rules as a citizen's own profile
    (names without markup or control characters, CCCD consistent with birth date and gender)."""
    if given is None:
        raise validation_failed(
            [FieldProblem("applicant", "required", "applications.fields.applicant-required")]
        )
    checked = clean_person(
        PersonInput(
            full_name=given.full_name,
            date_of_birth=given.date_of_birth,
            gender=given.gender,
            citizen_id_number=given.citizen_id_number,
            province_code=given.address.province_code,
            commune_code=given.address.commune_code,
            street=given.address.street,
            phone=given.phone,
        ),
        units,
        vn_today(),
        prefix="applicant.",
    )
    if isinstance(checked, list):
        raise validation_failed(checked)
    return Applicant(
        full_name=checked.full_name,
        date_of_birth=checked.date_of_birth,
        gender=checked.gender,
        citizen_id_number=checked.citizen_id_number,
        phone=checked.phone,
        address=applicant_address(
            units, checked.province_code, checked.commune_code, checked.street
        ),
    )


async def account_of(repo: ApplicationRepository, applicant: Applicant) -> uuid.UUID | None:
    """The citizen account a counter filing belongs to, so it shows in their list.

    The CCCD in a profile is only declared, so it alone would let anyone who declared
    someone else's number read that person's counter filings. The phone number is proven
    (accounts sign in by SMS): the account must have the phone given at the counter too.
    """
    if applicant.citizen_id_number is None or applicant.phone is None:
        return None
    return await repo.citizen_with(applicant.citizen_id_number, applicant.phone)


async def verify_identity_at_counter(
    conn: asyncpg.Connection, actor: Actor, applicant: Applicant, citizen_id: uuid.UUID
) -> bool:
    """The officer typed ``applicant`` from the card in hand. When the linked account declared
    the same CCCD number, name and date of birth, that identity is now verified (method
    'counter'); True if this call verified it.

    A number already verified on another account is left for a person to sort out: the filing
    still links by phone and CCCD, the verification does not happen, and the log says why.
    """
    profile = await CitizenRepository(conn).get(citizen_id)
    if profile is None or profile["identity_verified"]:
        return False
    declared = (
        profile["citizen_id_number"],
        (profile["full_name"] or "").casefold(),
        profile["date_of_birth"],
    )
    on_card = (applicant.citizen_id_number, applicant.full_name.casefold(), applicant.date_of_birth)
    if declared != on_card:
        return False
    try:
        await mark_identity_verified(conn, citizen_id, actor.id, "counter")
    except CitizenIdVerifiedElsewhere:
        logger.warning(
            "counter identity check: the number is verified on another account",
            extra={"citizen_id": str(citizen_id), "staff_id": str(actor.id)},
        )
        return False
    return True
