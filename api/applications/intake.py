"""Counter intake: the applicant an officer types in from the identity card, and the citizen
account the filing belongs to.

The checks of the applicant here are the counter's own for now; they are to follow the
profile's rules once accounts offers them in one place.
"""

from __future__ import annotations

import uuid
from datetime import date

from api.accounts.cccd import cccd_consistency_errors
from api.accounts.identity import cccd_structure_errors, normalise_vn_mobile
from api.applications.repository import ApplicationRepository
from api.applications.schemas import Applicant, ApplicantAddress, ApplicantInput
from api.core.clock import vn_today
from api.core.problems import FieldProblem, validation_failed
from api.geo.directory import AdminUnits


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
    if given is None:
        raise validation_failed(
            [FieldProblem("applicant", "required", "applications.fields.applicant-required")]
        )
    errors: list[FieldProblem] = []
    full_name = " ".join(given.full_name.split())
    if not full_name:
        errors.append(
            FieldProblem(
                "applicant.full_name", "required", "applications.fields.full-name-required"
            )
        )
    if not date(1900, 1, 1) <= given.date_of_birth <= vn_today():
        errors.append(
            FieldProblem(
                "applicant.date_of_birth",
                "invalid_date",
                "applications.fields.invalid-date-of-birth",
            )
        )
    cccd = given.citizen_id_number
    cccd_problems: list[str] = list(cccd_structure_errors(cccd))
    if not cccd_problems:
        cccd_problems += cccd_consistency_errors(cccd, given.date_of_birth, given.gender)
    errors += [
        FieldProblem(
            "applicant.citizen_id_number", code, "applications.fields.invalid-citizen-id-number"
        )
        for code in cccd_problems
    ]
    phone = None
    if given.phone:
        phone = normalise_vn_mobile(given.phone)
        if phone is None:
            errors.append(
                FieldProblem(
                    "applicant.phone", "invalid_phone", "applications.fields.invalid-phone"
                )
            )
    address = given.address
    if not units.commune_in_province(address.province_code, address.commune_code):
        errors.append(
            FieldProblem(
                "applicant.address.commune_code",
                "unknown_commune",
                "applications.fields.commune-not-in-province",
            )
        )
    if errors:
        raise validation_failed(errors)
    return Applicant(
        full_name=full_name,
        date_of_birth=given.date_of_birth,
        gender=given.gender,
        citizen_id_number=given.citizen_id_number,
        phone=phone,
        address=applicant_address(
            units, address.province_code, address.commune_code, address.street.strip()
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
