"""The person rules shared by the profile and counter intake: pure, so checked without a server."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from api.accounts.person_rules import Person, PersonInput, clean_person
from api.core.problems import FieldProblem

TODAY = date(2025, 7, 1)


class Units:
    """Hà Nội (01) with Ba Đình (00004); Hồ Chí Minh (79) with Sài Gòn (26734)."""

    _communes = {"01": {"00004"}, "79": {"26734"}}

    def province_exists(self, province_code: str) -> bool:
        return province_code in self._communes

    def commune_in_province(self, province_code: str, commune_code: str) -> bool:
        return commune_code in self._communes.get(province_code, set())


GOOD = PersonInput(
    full_name="  Nguyễn   Thị  Bình ",
    date_of_birth=date(1990, 5, 17),
    gender="female",
    citizen_id_number="001190123456",
    province_code="01",
    commune_code="00004",
    street=" 12  Phố Đội Cấn ",
)


def problems(raw: PersonInput, prefix: str = "") -> list[tuple[str, str]]:
    checked = clean_person(raw, Units(), TODAY, prefix)
    assert isinstance(checked, list), checked
    assert all(isinstance(p, FieldProblem) and p.text("vi") and p.text("en") for p in checked)
    return [(p.path, p.code) for p in checked]


def test_good_details_come_back_normalised() -> None:
    person = clean_person(
        dataclasses.replace(GOOD, phone="+84 912 345 678", email=" "), Units(), TODAY
    )
    assert person == Person(
        full_name="Nguyễn Thị Bình",
        date_of_birth=date(1990, 5, 17),
        gender="female",
        citizen_id_number="001190123456",
        province_code="01",
        commune_code="00004",
        street="12 Phố Đội Cấn",
        phone="0912345678",
        email=None,
    )


def test_every_problem_is_reported_under_the_callers_prefix() -> None:
    bad = PersonInput(
        full_name="Bình 2",
        date_of_birth=date(2999, 1, 1),
        gender="female",
        citizen_id_number="0010901234AB",
        province_code="01",
        commune_code="26734",
        street="  ",
        phone="0243 826 1234",
        email="not-an-email",
    )
    assert problems(bad, "applicant.") == [
        ("applicant.full_name", "invalid_characters"),
        ("applicant.date_of_birth", "out_of_range"),
        ("applicant.citizen_id_number", "not_12_digits"),
        ("applicant.address.commune_code", "commune_not_in_province"),
        ("applicant.address.street", "length"),
        ("applicant.phone", "invalid_phone"),
        ("applicant.email", "invalid_email"),
    ]
    assert problems(dataclasses.replace(GOOD, province_code="99")) == [
        ("address.province_code", "unknown_province")
    ]


@pytest.mark.parametrize(
    "name",
    [
        "Bình\u202e",  # right-to-left override: would show a reversed name
        "Nguyễn\u200bBình",  # zero-width space
        "<b>Bình</b>",
        "Bình\x00",
        "'Bình",
        "Bình; DROP",
    ],
)
def test_names_with_control_format_or_markup_characters_are_refused(name: str) -> None:
    assert problems(dataclasses.replace(GOOD, full_name=name)) == [
        ("full_name", "invalid_characters")
    ]


@pytest.mark.parametrize("name", ["H'Hen Niê", "Y Ngông Niê Kdăm", "K’Nớ", "Lê-Thị Hà"])
def test_names_of_every_people_are_accepted(name: str) -> None:
    person = clean_person(dataclasses.replace(GOOD, full_name=name), Units(), TODAY)
    assert isinstance(person, Person) and person.full_name == name


def test_the_cccd_must_agree_with_birth_and_gender() -> None:
    assert problems(dataclasses.replace(GOOD, gender="male")) == [
        ("citizen_id_number", "gender_century_mismatch")
    ]
    assert problems(dataclasses.replace(GOOD, date_of_birth=date(1991, 5, 17))) == [
        ("citizen_id_number", "birth_year_mismatch")
    ]
    # An impossible birth date is reported once, not again as a CCCD mismatch.
    assert problems(dataclasses.replace(GOOD, date_of_birth=date(1899, 12, 31))) == [
        ("date_of_birth", "out_of_range")
    ]


def test_an_unknown_gender_is_not_an_option() -> None:
    assert problems(dataclasses.replace(GOOD, gender="other")) == [("gender", "not_an_option")]


def test_a_street_with_control_characters_is_refused() -> None:
    assert problems(dataclasses.replace(GOOD, street="12\x00 Đội Cấn")) == [
        ("address.street", "invalid_characters")
    ]
