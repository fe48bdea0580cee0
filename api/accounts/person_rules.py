"""The rules a person's details follow wherever they are typed: the citizen's own profile, and
an officer's counter intake. Pure (no I/O): the caller passes the administrative units and
today's date.

Paths follow the shape both requests share (``full_name``, ``address.commune_code``, …) under
the caller's prefix, so ``clean_person(raw, units, today, prefix="applicant.")`` reports
``applicant.address.commune_code``. Each field's texts are the catalogue entries
``accounts.fields.<field>.<code>``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Protocol, get_args

from api.accounts.cccd import Gender, cccd_consistency_errors
from api.accounts.identity import cccd_structure_errors, normalise_vn_mobile
from api.core.problems import FieldProblem

GENDERS: tuple[Gender, ...] = get_args(Gender)
EARLIEST_BIRTH_YEAR = 1900
FULL_NAME_LENGTH = (2, 100)
STREET_LENGTH = (1, 200)
EMAIL_MAX_LENGTH = 254

_EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")
# Names of some ethnic minorities are written with an apostrophe or a hyphen (H'Hen Niê, K'Nớ).
_NAME_PUNCTUATION = frozenset("'’-")


class UnitDirectory(Protocol):
    """What the rules ask of the administrative units (``api.geo.directory.AdminUnits``)."""

    def province_exists(self, province_code: str) -> bool: ...

    def commune_in_province(self, province_code: str, commune_code: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class PersonInput:
    """A person's details as typed. ``phone`` and ``email`` are checked only when given (the
    profile has no phone field: its phone is the verified sign-in number)."""

    full_name: str
    date_of_birth: date
    gender: str
    citizen_id_number: str
    province_code: str
    commune_code: str
    street: str
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    """Details that passed every rule, normalised: NFC text with single spaces, the phone in
    its national form ('0912345678'), an empty email as None."""

    full_name: str
    date_of_birth: date
    gender: Gender
    citizen_id_number: str
    province_code: str
    commune_code: str
    street: str
    phone: str | None
    email: str | None


def person_field_problem(path: str, code: str, prefix: str = "") -> FieldProblem:
    """The problem ``code`` at a person's field ``path`` (``address.street``)."""
    field = path.rsplit(".", 1)[-1]
    return FieldProblem(prefix + path, code, f"accounts.fields.{field}.{code}")


def clean_person(
    raw: PersonInput, units: UnitDirectory, today: date, prefix: str = ""
) -> Person | list[FieldProblem]:
    """The normalised person, or every problem found (all at once, not the first only)."""
    errors: list[FieldProblem] = []

    def report(path: str, code: str) -> None:
        errors.append(person_field_problem(path, code, prefix))

    full_name = collapse_spaces(raw.full_name)
    if not FULL_NAME_LENGTH[0] <= len(full_name) <= FULL_NAME_LENGTH[1]:
        report("full_name", "length")
    elif not is_plausible_name(full_name):
        report("full_name", "invalid_characters")

    birth = raw.date_of_birth
    birth_ok = birth.year >= EARLIEST_BIRTH_YEAR and birth < today
    if not birth_ok:
        report("date_of_birth", "out_of_range")

    gender = next((g for g in GENDERS if g == raw.gender), None)
    if gender is None:
        errors.append(FieldProblem(prefix + "gender", "not_an_option", value=repr(raw.gender)))

    cccd = raw.citizen_id_number.strip()
    structure = cccd_structure_errors(cccd)
    for code in structure:
        report("citizen_id_number", code)
    if not structure and birth_ok and gender is not None:
        for mismatch in cccd_consistency_errors(cccd, birth, gender):
            report("citizen_id_number", mismatch)

    if not units.province_exists(raw.province_code):
        report("address.province_code", "unknown_province")
    elif not units.commune_in_province(raw.province_code, raw.commune_code):
        report("address.commune_code", "commune_not_in_province")
    street = collapse_spaces(raw.street)
    if not STREET_LENGTH[0] <= len(street) <= STREET_LENGTH[1]:
        report("address.street", "length")
    elif has_control_characters(street):
        report("address.street", "invalid_characters")

    phone = None
    if raw.phone is not None and raw.phone.strip():
        phone = normalise_vn_mobile(raw.phone)
        if phone is None:
            report("phone", "invalid_phone")

    email = (raw.email or "").strip() or None
    if email is not None and (len(email) > EMAIL_MAX_LENGTH or not _EMAIL.fullmatch(email)):
        report("email", "invalid_email")

    if errors or gender is None:
        return errors
    return Person(
        full_name=full_name,
        date_of_birth=birth,
        gender=gender,
        citizen_id_number=cccd,
        province_code=raw.province_code,
        commune_code=raw.commune_code,
        street=street,
        phone=phone,
        email=email,
    )


def collapse_spaces(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def is_plausible_name(name: str) -> bool:
    """Letters (with their combining marks), spaces, apostrophes and hyphens, starting with a
    letter. Everything else is refused, among it control and format characters (a U+202E
    right-to-left override would show an officer a reversed name) and markup such as ``<>``."""
    return name[:1].isalpha() and all(_is_name_character(char) for char in name)


def _is_name_character(char: str) -> bool:
    return (
        char == " "
        or char in _NAME_PUNCTUATION
        or char.isalpha()
        or unicodedata.category(char).startswith("M")
    )


def has_control_characters(text: str) -> bool:
    """Control characters, and format characters such as U+202E (which reverses how the rest
    of the line is shown)."""
    return any(unicodedata.category(char) in ("Cc", "Cf") for char in text)
