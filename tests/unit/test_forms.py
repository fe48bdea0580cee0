"""The procedure form validator, phone normaliser and CCCD structure check: pure, no services."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.accounts.identity import (
    CCCD_PROVINCE_CODES,
    cccd_structure_errors,
    normalise_vn_mobile,
)
from api.catalogue.forms import (
    FieldDefinition,
    FormResult,
    parse_field_definitions,
    stored_field_definitions,
    validate_form,
)
from api.core.problems import FieldProblem

TODAY = date(2025, 8, 15)


class FakeUnits:
    """Hà Nội (01) with two wards, Hồ Chí Minh City (79) with one."""

    _COMMUNES = {"00004": "01", "00008": "01", "26734": "79"}

    def province_exists(self, province_code: str) -> bool:
        return province_code in ("01", "79")

    def commune_in_province(self, province_code: str, commune_code: str) -> bool:
        return self._COMMUNES.get(commune_code) == province_code


UNITS = FakeUnits()


def field(name: str, type_: str, **extra: Any) -> FieldDefinition:
    raw = {"name": name, "type": type_, "label_vi": f"Nhãn {name}", "label_en": f"Label {name}"}
    return parse_field_definitions([{**raw, **extra}])[0]


def check(
    fields: list[FieldDefinition], values: dict[str, Any], *, partial: bool = False
) -> FormResult:
    return validate_form(fields, values, UNITS, partial=partial, today=TODAY)


def codes(result: FormResult) -> list[tuple[str, str]]:
    return [(e.path, e.code) for e in result.errors]


# --- definitions ---------------------------------------------------------------------------


def test_parse_full_definition_round_trips() -> None:
    raw: list[dict[str, Any]] = [
        {
            "name": "child_sex",
            "type": "select",
            "label_vi": "Giới tính",
            "label_en": "Sex",
            "required": True,
            "help_vi": "Chọn một",
            "help_en": "Pick one",
            "options": [
                {"value": "male", "label_vi": "Nam", "label_en": "Male"},
                {"value": "female", "label_vi": "Nữ", "label_en": "Female"},
            ],
        },
        {"name": "note", "type": "long_text", "label_vi": "Ghi chú", "label_en": "Note"},
    ]
    fields = parse_field_definitions(raw)
    assert fields[0].options is not None and fields[0].options[1].label_vi == "Nữ"
    # omit_defaults: encoding gives back exactly what was stored.
    assert msgspec.json.decode(msgspec.json.encode(fields)) == raw
    assert fields[1].effective_max_length == 4000
    assert field("t", "text").effective_max_length == 200
    assert field("t", "text", max_length=50).effective_max_length == 50
    assert field("n", "number").effective_max_length is None


@pytest.mark.parametrize(
    "bad",
    [
        {"name": "Child Name", "type": "text"},  # not snake_case
        {"name": "x", "type": "colour"},  # unknown type
        {"name": "x", "type": "text", "surprise": 1},  # unknown key
        {"name": "x", "type": "select"},  # select without options
        {"name": "x", "type": "select", "options": []},
        {
            "name": "x",
            "type": "select",
            "options": [
                {"value": "a", "label_vi": "A", "label_en": "A"},
                {"value": "a", "label_vi": "B", "label_en": "B"},
            ],
        },
        {"name": "x", "type": "number", "max_length": 5},  # constraint of another type
        {"name": "x", "type": "text", "min": 0},
        {"name": "x", "type": "long_text", "pattern": "a+"},  # pattern is text-only
        {"name": "x", "type": "text", "pattern": "("},  # not a regex
        {"name": "x", "type": "text", "min_length": 5, "max_length": 2},
        {"name": "x", "type": "number", "min": 5, "max": 1},
        {"name": "x", "type": "date", "min_date": "2025-02-30"},
        {"name": "x", "type": "date", "min_date": "2025-03-01", "max_date": "2025-01-01"},
        {"name": "x", "type": "boolean", "not_in_future": True},
    ],
)
def test_malformed_definitions_are_rejected(bad: dict[str, Any]) -> None:
    raw = {"label_vi": "Nhãn", "label_en": "Label", **bad}
    with pytest.raises(msgspec.ValidationError):
        parse_field_definitions([raw])


def test_duplicate_field_names_are_rejected() -> None:
    one = {"name": "x", "type": "text", "label_vi": "X", "label_en": "X"}
    with pytest.raises(msgspec.ValidationError, match="Duplicate"):
        parse_field_definitions([one, one])


# --- required, partial, unknown ------------------------------------------------------------


def test_missing_required_values_and_unknown_keys() -> None:
    fields = [
        field("child_full_name", "text", required=True),
        field("note", "text"),
        field("child_birth_place", "admin_unit", required=True),
        field("is_twin", "boolean", required=True),
    ]
    result = check(fields, {"child_full_name": "   ", "note": None, "extra": 1})
    assert codes(result) == [
        ("form.child_full_name", "required"),
        ("form.child_birth_place", "required"),
        ("form.is_twin", "required"),
        ("form.extra", "unknown_field"),
    ]
    assert result.cleaned == {}
    assert not result.ok
    first = result.errors[0]
    assert isinstance(first, FieldProblem)
    assert "Nhãn child_full_name" in first.text("vi") and "Vui lòng nhập" in first.text("vi")
    assert "Label child_full_name" in first.text("en")
    assert "Vui lòng chọn" in result.errors[1].text("vi")


def test_partial_skips_missing_required_but_checks_present_values() -> None:
    fields = [
        field("child_full_name", "text", required=True),
        field("child_date_of_birth", "date", required=True, not_in_future=True),
        field("copies", "number", integer=True, min=1),
    ]
    draft = check(fields, {"copies": 0}, partial=True)
    assert codes(draft) == [("form.copies", "below_min")]
    clean_draft = check(fields, {"copies": 2}, partial=True)
    assert clean_draft.ok and clean_draft.cleaned == {"copies": 2}
    # Unknown keys are errors in drafts too.
    assert codes(check(fields, {"zzz": 1}, partial=True)) == [("form.zzz", "unknown_field")]


def test_path_prefix() -> None:
    fields = [field("a", "text", required=True)]
    assert validate_form(fields, {}, UNITS, path_prefix="").errors[0].path == "a"
    assert validate_form(fields, {}, UNITS, path_prefix="data.form").errors[0].path == "data.form.a"


def test_empty_form_is_valid() -> None:
    result = check([], {})
    assert result.ok and result.cleaned == {}


# --- text ----------------------------------------------------------------------------------


def test_text_is_trimmed_and_normalised_to_nfc() -> None:
    fields = [field("name", "text")]
    decomposed = "Nguye\u0302\u0303n"  # "Nguyễn" typed with combining marks
    result = check(fields, {"name": f"  {decomposed}  "})
    assert result.cleaned == {"name": "Nguyễn"}


def test_text_lengths_and_pattern() -> None:
    fields = [
        field("short", "text", min_length=3),
        field("default_limit", "text"),
        field("long", "long_text", max_length=10),
        field("parcel", "text", pattern=r"[0-9]{1,5}"),
    ]
    result = check(
        fields,
        {"short": "ab", "default_limit": "x" * 201, "long": "y" * 11, "parcel": "12a"},
    )
    assert codes(result) == [
        ("form.short", "too_short"),
        ("form.default_limit", "too_long"),
        ("form.long", "too_long"),
        ("form.parcel", "pattern_mismatch"),
    ]
    assert "ít nhất 3 ký tự" in result.errors[0].text("vi")
    assert "200" in result.errors[1].text("en")
    ok = check(fields, {"short": "abc", "default_limit": "x" * 200, "parcel": "123"})
    assert ok.ok and ok.cleaned == {"short": "abc", "default_limit": "x" * 200, "parcel": "123"}
    assert check([field("body", "long_text")], {"body": "z" * 4000}).ok
    assert codes(check([field("body", "long_text")], {"body": "z" * 4001})) == [
        ("form.body", "too_long")
    ]


def test_text_refuses_control_characters_but_long_text_keeps_line_breaks() -> None:
    fields = [field("name", "text"), field("note", "long_text")]
    result = check(fields, {"name": "An\x00Bình", "note": "dòng 1\x1bdòng 2"})
    assert codes(result) == [
        ("form.name", "invalid_characters"),
        ("form.note", "invalid_characters"),
    ]
    assert "ký tự điều khiển" in result.errors[0].text("vi")
    assert codes(check(fields, {"name": "An\nBình"})) == [("form.name", "invalid_characters")]
    ok = check(fields, {"note": "dòng 1\r\n\tdòng 2"})
    assert ok.ok and ok.cleaned == {"note": "dòng 1\r\n\tdòng 2"}


def test_text_wrong_type() -> None:
    result = check([field("name", "text")], {"name": 12})
    assert codes(result) == [("form.name", "wrong_type")]


# --- number --------------------------------------------------------------------------------


def test_numbers() -> None:
    fields = [
        field("area", "number", min=0.1, max=10000),
        field("floors", "number", integer=True, min=1, max=7),
    ]
    assert check(fields, {"area": 120.5, "floors": 3}).cleaned == {"area": 120.5, "floors": 3}
    whole = check(fields, {"floors": 3.0})
    assert whole.cleaned == {"floors": 3} and isinstance(whole.cleaned["floors"], int)
    assert codes(check(fields, {"floors": 2.5})) == [("form.floors", "not_an_integer")]
    bad = check(fields, {"area": 0, "floors": 8})
    assert codes(bad) == [("form.area", "below_min"), ("form.floors", "above_max")]
    assert "0,1" in bad.errors[0].text("vi") and "0.1" in bad.errors[0].text("en")
    assert "7" in bad.errors[1].text("vi")
    for wrong in (True, "3", [3], float("nan"), float("inf")):
        assert codes(check(fields, {"floors": wrong})) == [("form.floors", "wrong_type")], wrong


def test_large_bounds_are_formatted_per_language() -> None:
    result = check([field("capital", "number", min=1_000_000)], {"capital": 5})
    assert "1.000.000" in result.errors[0].text("vi")
    assert "1,000,000" in result.errors[0].text("en")


# --- date ----------------------------------------------------------------------------------


def test_dates() -> None:
    fields = [
        field("born", "date", not_in_future=True),
        field("start", "date", min_date="2025-07-01", max_date="2026-12-31"),
    ]
    ok = check(fields, {"born": "2025-08-15", "start": "2025-07-01"})
    assert ok.ok and ok.cleaned == {"born": "2025-08-15", "start": "2025-07-01"}
    assert codes(check(fields, {"born": "2025-08-16"})) == [("form.born", "date_in_future")]
    early_late = check(fields, {"start": "2025-06-30"})
    assert codes(early_late) == [("form.start", "date_before_min")]
    assert "01/07/2025" in early_late.errors[0].text("vi") and "2025-07-01" in early_late.errors[
        0
    ].text("en")
    assert codes(check(fields, {"start": "2027-01-01"})) == [("form.start", "date_after_max")]
    for bad in ("2025-02-29", "15/08/2025", "20250815", "2025-8-1", "2025-08-15T00:00"):
        assert codes(check(fields, {"born": bad})) == [("form.born", "invalid_date")], bad
    assert codes(check(fields, {"born": 20250815})) == [("form.born", "wrong_type")]


def test_not_in_future_defaults_to_today_in_vietnam() -> None:
    fields = [field("born", "date", not_in_future=True)]
    result = validate_form(fields, {"born": "2999-01-01"}, UNITS)
    assert codes(result) == [("form.born", "date_in_future")]
    assert validate_form(fields, {"born": "2000-01-01"}, UNITS).ok


# --- select, boolean -----------------------------------------------------------------------


def test_select_and_boolean() -> None:
    options = [
        {"value": "male", "label_vi": "Nam", "label_en": "Male"},
        {"value": "female", "label_vi": "Nữ", "label_en": "Female"},
    ]
    fields = [field("sex", "select", options=options), field("twin", "boolean")]
    assert check(fields, {"sex": "female", "twin": False}).cleaned == {
        "sex": "female",
        "twin": False,
    }
    bad = check(fields, {"sex": "Nữ", "twin": "yes"})
    assert codes(bad) == [("form.sex", "not_an_option"), ("form.twin", "wrong_type")]
    assert "Nam, Nữ" in bad.errors[0].text("vi") and "Male, Female" in bad.errors[0].text("en")
    assert codes(check(fields, {"sex": 1})) == [("form.sex", "not_an_option")]
    assert codes(check(fields, {"twin": 0})) == [("form.twin", "wrong_type")]


# --- phone ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("+84 91 234 5678", "0912345678"),
        ("+84 0912 345 678", "0912345678"),
        ("091-234-5678", "0912345678"),
        ("0389999999", "0389999999"),
        ("0567654321", "0567654321"),
        ("0701234567", "0701234567"),
        ("0812345678", "0812345678"),
        ("0241234567", None),  # landline (Hà Nội 024)
        ("0112345678", None),
        ("091234567", None),  # 9 digits
        ("09123456789", None),  # 11 digits
        ("849123456789", None),
        ("+85512345678", None),
        ("0912a45678", None),
        ("０９１２３４５６７８", None),  # full-width digits
        ("", None),
    ],
)
def test_normalise_vn_mobile(raw: str, expected: str | None) -> None:
    assert normalise_vn_mobile(raw) == expected


def test_phone_field_is_normalised() -> None:
    fields = [field("contact", "phone", required=True)]
    assert check(fields, {"contact": "+84 912.345.678"}).cleaned == {"contact": "0912345678"}
    bad = check(fields, {"contact": "0241234567"})
    assert codes(bad) == [("form.contact", "invalid_phone")]
    assert "0912345678" in bad.errors[0].text("vi")
    assert codes(check(fields, {"contact": 912345678})) == [("form.contact", "wrong_type")]


@given(st.sampled_from("35789"), st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_every_mobile_form_normalises_to_the_same_number(second: str, rest: str) -> None:
    national = "0" + second + rest
    for written in (national, "+84" + national[1:], "84" + national[1:]):
        assert normalise_vn_mobile(written) == national


# --- citizen id ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cccd", "problems"),
    [
        ("001099012345", []),  # Hà Nội, male born 1999
        ("079203012345", []),  # Hồ Chí Minh City, female born 2003
        ("096100000001", []),  # Cà Mau, the last code
        ("00109901234", ["not_12_digits"]),
        ("0010990123456", ["not_12_digits"]),
        ("00109901234a", ["not_12_digits"]),
        (" 01099012345", ["not_12_digits"]),
        ("003099012345", ["unknown_province"]),  # 03 was never a province code
        ("101099012345", ["unknown_province"]),  # first digit must be 0
        ("001499012345", ["invalid_century_gender_digit"]),
        ("099599012345", ["unknown_province", "invalid_century_gender_digit"]),
    ],
)
def test_cccd_structure(cccd: str, problems: list[str]) -> None:
    assert cccd_structure_errors(cccd) == problems


def test_cccd_province_codes_are_the_63_pre_2025_codes() -> None:
    assert len(CCCD_PROVINCE_CODES) == 63
    assert {"01", "02", "96", "93", "28"} - CCCD_PROVINCE_CODES == {"28"}


def test_citizen_id_field() -> None:
    fields = [field("father_id", "citizen_id")]
    assert check(fields, {"father_id": " 001099012345 "}).cleaned == {"father_id": "001099012345"}
    bad = check(fields, {"father_id": "003099012345"})
    assert codes(bad) == [("form.father_id", "invalid_citizen_id")]
    assert "12 chữ số" in bad.errors[0].text("vi")
    assert codes(check(fields, {"father_id": 1099012345})) == [("form.father_id", "wrong_type")]


# --- admin unit ----------------------------------------------------------------------------


def test_admin_unit() -> None:
    fields = [field("place", "admin_unit", required=True)]
    ok = check(fields, {"place": {"province_code": "01", "commune_code": "00004"}})
    assert ok.ok and ok.cleaned == {"place": {"province_code": "01", "commune_code": "00004"}}

    def errs(value: Any, *, partial: bool = False) -> list[tuple[str, str]]:
        return codes(check(fields, {"place": value}, partial=partial))

    assert errs({"province_code": "01", "commune_code": "26734"}) == [
        ("form.place.commune_code", "commune_not_in_province")
    ]
    assert errs({"province_code": "02", "commune_code": "00004"}) == [
        ("form.place.province_code", "unknown_province")
    ]
    assert errs({"province_code": "1", "commune_code": "00004"}) == [
        ("form.place.province_code", "unknown_province")
    ]
    assert errs({"province_code": "01", "commune_code": "4"}) == [
        ("form.place.commune_code", "commune_not_in_province")
    ]
    assert errs({"province_code": "01"}) == [("form.place.commune_code", "required")]
    assert errs({"commune_code": "00004"}) == [("form.place.province_code", "required")]
    assert errs({}) == [("form.place", "required")]
    assert errs("01-00004") == [("form.place", "wrong_type")]
    assert errs({"province_code": 1, "commune_code": "00004"}) == [
        ("form.place.province_code", "wrong_type")
    ]
    assert errs({"province_code": "01", "commune_code": 4}) == [
        ("form.place.commune_code", "wrong_type")
    ]
    assert errs({"province_code": "01", "commune_code": "00004", "street": "x"}) == [
        ("form.place.street", "unknown_field")
    ]


def test_admin_unit_in_a_draft_may_lack_the_commune() -> None:
    fields = [field("place", "admin_unit", required=True)]
    draft = check(fields, {"place": {"province_code": " 79 "}}, partial=True)
    assert draft.ok and draft.cleaned == {"place": {"province_code": "79"}}
    assert check(fields, {"place": {}}, partial=True).ok
    bad = check(fields, {"place": {"province_code": "79", "commune_code": "00004"}}, partial=True)
    assert codes(bad) == [("form.place.commune_code", "commune_not_in_province")]


def test_admin_unit_messages_name_the_field() -> None:
    fields = [
        parse_field_definitions(
            [
                {
                    "name": "birth_place",
                    "type": "admin_unit",
                    "label_vi": "Nơi sinh",
                    "label_en": "Place of birth",
                }
            ]
        )[0]
    ]
    result = check(fields, {"birth_place": {"province_code": "01", "commune_code": "26734"}})
    (error,) = result.errors
    assert "Nơi sinh" in error.text("vi") and "Place of birth" in error.text("en")


# --- a realistic form ----------------------------------------------------------------------


def test_birth_registration_like_form() -> None:
    fields = parse_field_definitions(
        [
            {
                "name": "child_full_name",
                "type": "text",
                "label_vi": "Họ, chữ đệm và tên của trẻ",
                "label_en": "Child's full name",
                "required": True,
                "max_length": 100,
            },
            {
                "name": "child_date_of_birth",
                "type": "date",
                "label_vi": "Ngày sinh của trẻ",
                "label_en": "Child's date of birth",
                "required": True,
                "not_in_future": True,
            },
            {
                "name": "birth_place",
                "type": "admin_unit",
                "label_vi": "Nơi sinh",
                "label_en": "Place of birth",
                "required": True,
            },
            {
                "name": "father_citizen_id",
                "type": "citizen_id",
                "label_vi": "Số định danh cá nhân của cha",
                "label_en": "Father's personal ID number",
            },
        ]
    )
    values = {
        "child_full_name": " Nguyễn Văn An ",
        "child_date_of_birth": "2025-08-01",
        "birth_place": {"province_code": "79", "commune_code": "26734"},
        "father_citizen_id": "079095001234",
    }
    result = check(fields, values)
    assert result.ok, result.errors
    assert result.cleaned == {**values, "child_full_name": "Nguyễn Văn An"}


def test_stored_definitions_are_parsed_once_and_an_edit_is_parsed_again() -> None:
    raw = [{"name": "ten", "type": "text", "label_vi": "Tên", "label_en": "Name"}]
    first = stored_field_definitions(raw)
    assert list(first) == parse_field_definitions(raw)
    assert stored_field_definitions([dict(raw[0])]) is first  # equal JSON: the same parse
    edited = [{**raw[0], "max_length": 5}]
    assert stored_field_definitions(edited)[0].max_length == 5
    with pytest.raises(msgspec.ValidationError):
        stored_field_definitions([raw[0], raw[0]])  # malformed: refused every time
    with pytest.raises(msgspec.ValidationError):
        stored_field_definitions([raw[0], raw[0]])
