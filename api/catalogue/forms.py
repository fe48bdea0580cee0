"""Procedure form definitions and the validator of what a citizen fills in.

Each procedure in the catalogue carries ``form_fields``: a list of ``FieldDefinition``. The
applicant's own identity (name, CCCD, address, phone) is never asked for here: it is taken
from the citizen's profile. ``validate_form`` checks submitted values against the definitions
and returns the cleaned values plus every problem at once (not just the first), each a
``FieldProblem`` with a stable code and a catalogue message (``forms.fields.*``) naming the
field by its label in the reader's language.

Pure Python: no database, no I/O. Administrative units are checked through the small
``AdminUnitLookup`` protocol (``api.geo.directory.AdminUnits`` satisfies it).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Annotated, Any, Literal, Protocol

import msgspec

from api.accounts.identity import cccd_structure_errors, normalise_vn_mobile
from api.core.clock import vn_today
from api.core.problems import FieldProblem
from api.messages import Localised, msg

FieldType = Literal[
    "text",
    "long_text",
    "number",
    "date",
    "select",
    "boolean",
    "phone",
    "citizen_id",
    "admin_unit",
]

ErrorCode = Literal[
    "required",
    "unknown_field",
    "wrong_type",
    "too_short",
    "too_long",
    "invalid_characters",
    "pattern_mismatch",
    "not_an_integer",
    "below_min",
    "above_max",
    "invalid_date",
    "date_before_min",
    "date_after_max",
    "date_in_future",
    "not_an_option",
    "invalid_phone",
    "invalid_citizen_id",
    "unknown_province",
    "commune_not_in_province",
]

MAX_UNKNOWN_KEYS_LISTED = 5

DEFAULT_MAX_LENGTH: dict[str, int] = {"text": 200, "long_text": 4000}

# Long text may span lines; no text may hold other control characters (NUL cannot be stored).
_LINE_BREAKS_AND_TABS = "\n\r\t"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PROVINCE_CODE = re.compile(r"[0-9]{2}")
_COMMUNE_CODE = re.compile(r"[0-9]{5}")

FieldName = Annotated[
    str,
    msgspec.Meta(
        pattern=r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$",
        max_length=64,
        description="snake_case key of the value in the submitted form",
    ),
]
Label = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
HelpText = Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
IsoDate = Annotated[
    str, msgspec.Meta(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description="YYYY-MM-DD")
]
OptionValue = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9_]*$", max_length=64)]


class OptionDefinition(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One choice of a ``select`` field: the stored value and its labels."""

    value: OptionValue
    label_vi: Label
    label_en: Label


class FieldDefinition(msgspec.Struct, frozen=True, omit_defaults=True, forbid_unknown_fields=True):
    """One input of a procedure's form. Constraints apply only to the types named beside them;
    a definition that sets a constraint its type does not use is rejected when parsed."""

    name: FieldName
    type: FieldType
    label_vi: Label
    label_en: Label
    required: bool = False
    help_vi: HelpText | None = None
    help_en: HelpText | None = None
    # text, long_text
    min_length: Annotated[int, msgspec.Meta(ge=0)] | None = None
    max_length: Annotated[int, msgspec.Meta(ge=1)] | None = None
    pattern: (
        Annotated[str, msgspec.Meta(min_length=1, description="Python regex, text only")] | None
    ) = None
    # number
    min: float | None = None
    max: float | None = None
    integer: bool = False
    # date
    min_date: IsoDate | None = None
    max_date: IsoDate | None = None
    not_in_future: bool = False
    # select
    options: tuple[OptionDefinition, ...] | None = None

    def __post_init__(self) -> None:
        kind = self.type
        text_like = kind in ("text", "long_text")
        misplaced = [
            constraint
            for constraint, allowed in (
                ("min_length", text_like),
                ("max_length", text_like),
                ("pattern", kind == "text"),
                ("min", kind == "number"),
                ("max", kind == "number"),
                ("integer", kind == "number"),
                ("min_date", kind == "date"),
                ("max_date", kind == "date"),
                ("not_in_future", kind == "date"),
                ("options", kind == "select"),
            )
            if not allowed and _is_set(getattr(self, constraint))
        ]
        if misplaced:
            raise ValueError(f"{', '.join(misplaced)} not allowed for a {kind} field")
        if (
            self.min_length is not None
            and self.max_length is not None
            and self.min_length > self.max_length
        ):
            raise ValueError("min_length is greater than max_length")
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"pattern is not a valid regular expression: {exc}") from None
        for bound in (self.min, self.max):
            if isinstance(bound, bool) or (bound is not None and not math.isfinite(bound)):
                raise ValueError("min and max must be finite numbers")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is greater than max")
        bounds: list[date] = []
        for raw in (self.min_date, self.max_date):
            if raw is not None:
                try:
                    bounds.append(date.fromisoformat(raw))
                except ValueError:
                    raise ValueError(f"{raw!r} is not a valid date") from None
        if len(bounds) == 2 and bounds[0] > bounds[1]:
            raise ValueError("min_date is after max_date")
        if kind == "select":
            if not self.options:
                raise ValueError("a select field needs at least one option")
            values = [option.value for option in self.options]
            if len(set(values)) != len(values):
                raise ValueError("option values must be unique")

    @property
    def effective_max_length(self) -> int | None:
        """The length limit of a text field: its own, or the default of its type."""
        if self.max_length is not None:
            return self.max_length
        return DEFAULT_MAX_LENGTH.get(self.type)


def _is_set(value: object) -> bool:
    return value is not None and value is not False


class FormResult(msgspec.Struct, frozen=True):
    """What validation kept (normalised, known fields only) and what it found wrong."""

    cleaned: dict[str, Any]
    errors: list[FieldProblem]

    @property
    def ok(self) -> bool:
        return not self.errors


class AdminUnitLookup(Protocol):
    def commune_in_province(self, province_code: str, commune_code: str) -> bool: ...

    def province_exists(self, province_code: str) -> bool: ...


def parse_field_definitions(raw: Sequence[Mapping[str, Any]]) -> list[FieldDefinition]:
    """Field definitions from their JSON form (as stored in ``procedures.form_fields``).
    Raises ``msgspec.ValidationError`` when one is malformed or two share a name."""
    fields = msgspec.convert(raw, list[FieldDefinition])
    seen: set[str] = set()
    for index, field in enumerate(fields):
        if field.name in seen:
            raise msgspec.ValidationError(f"Duplicate field name {field.name!r} - at `$[{index}]`")
        seen.add(field.name)
    return fields


# Stored definitions change only with a migration or an administrator's edit, yet every draft
# and submit reads them; the parsed form is kept per exact stored JSON (so an edit is a new key).
_PARSED_LIMIT = 256
_parsed: dict[bytes, tuple[FieldDefinition, ...]] = {}
_encode_key = msgspec.json.Encoder().encode


def stored_field_definitions(raw: Sequence[Mapping[str, Any]]) -> tuple[FieldDefinition, ...]:
    """``parse_field_definitions`` of a procedure's stored form, parsed once per process for
    each distinct stored JSON (at most 256 kept). The definitions are frozen structs."""
    key = _encode_key(raw)
    fields = _parsed.get(key)
    if fields is None:
        fields = tuple(parse_field_definitions(raw))
        if len(_parsed) >= _PARSED_LIMIT:
            _parsed.clear()
        _parsed[key] = fields
    return fields


# ---------------------------------------------------------------------------------------------
# Message parameters (the texts are the catalogue's ``forms.fields.*`` entries)


def _label(field: FieldDefinition) -> Localised:
    return Localised(vi=field.label_vi, en=field.label_en)


def _num(value: float) -> Localised:
    """A number as each language writes it (Vietnamese: 1.000.000,5; English: 1,000,000.5)."""
    if float(value).is_integer():
        digits = f"{int(value):,}"
        return Localised(vi=digits.replace(",", "."), en=digits)
    text = f"{value:,}"
    return Localised(vi=text.replace(",", "\0").replace(".", ",").replace("\0", "."), en=text)


def _day(value: date) -> Localised:
    return Localised(vi=value.strftime("%d/%m/%Y"), en=value.isoformat())


class _Collector:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.errors: list[FieldProblem] = []

    def path(self, *parts: str) -> str:
        return ".".join(p for p in (self.prefix, *parts) if p)

    def add(self, path: str, code: ErrorCode, entry: str, **params: Any) -> None:
        self.errors.append(FieldProblem(path, code, f"forms.fields.{entry}", **params))


# ---------------------------------------------------------------------------------------------
# Validation


_MISSING = object()


def validate_form(
    fields: Sequence[FieldDefinition],
    values: Mapping[str, Any],
    units: AdminUnitLookup,
    *,
    path_prefix: str = "form",
    partial: bool = False,
    today: date | None = None,
) -> FormResult:
    """Check ``values`` (a decoded JSON object) against ``fields``.

    Missing means absent, null, or text that is empty once trimmed. With ``partial`` (saving
    a draft) a missing required value is not an error; values that are present are checked
    all the same. ``today`` (default: today in Vietnam) is what ``not_in_future`` compares to.
    """
    out = _Collector(path_prefix)
    cleaned: dict[str, Any] = {}
    known = {field.name for field in fields}
    current_day = today if today is not None else vn_today()

    for field in fields:
        raw = values.get(field.name, _MISSING)
        path = out.path(field.name)
        if raw is _MISSING or raw is None or (isinstance(raw, str) and not raw.strip()):
            if field.required and not partial:
                _required(out, path, field)
            continue
        value = _validate_value(field, raw, path, units, out, current_day, partial)
        if value is not _MISSING:
            cleaned[field.name] = value

    for key in values:
        if key not in known:
            out.add(out.path(str(key)), "unknown_field", "unknown-field", name=str(key))
    return FormResult(cleaned=cleaned, errors=out.errors)


def _required(out: _Collector, path: str, field: FieldDefinition) -> None:
    chosen = field.type in ("select", "boolean", "admin_unit")
    entry = "required-choose" if chosen else "required-enter"
    out.add(path, "required", entry, label=_label(field))


def _wrong_type(out: _Collector, path: str, field: FieldDefinition) -> object:
    out.add(
        path, "wrong_type", "wrong-type", label=_label(field), kind=msg(f"forms.kinds.{field.type}")
    )
    return _MISSING


def _validate_value(
    field: FieldDefinition,
    raw: Any,
    path: str,
    units: AdminUnitLookup,
    out: _Collector,
    today: date,
    partial: bool,
) -> Any:
    """The cleaned value, or _MISSING after recording why there is none."""
    kind = field.type
    if kind in ("text", "long_text"):
        return _text(field, raw, path, out)
    if kind == "number":
        return _number(field, raw, path, out)
    if kind == "date":
        return _date(field, raw, path, out, today)
    if kind == "select":
        return _select(field, raw, path, out)
    if kind == "boolean":
        return raw if isinstance(raw, bool) else _wrong_type(out, path, field)
    if kind == "phone":
        return _phone(field, raw, path, out)
    if kind == "citizen_id":
        return _citizen_id(field, raw, path, out)
    return _admin_unit(field, raw, path, units, out, partial)


def _text(field: FieldDefinition, raw: Any, path: str, out: _Collector) -> Any:
    if not isinstance(raw, str):
        return _wrong_type(out, path, field)
    value = unicodedata.normalize("NFC", raw.strip())
    length = len(value)
    limit = field.effective_max_length
    label = _label(field)
    ok = True
    if field.min_length is not None and length < field.min_length:
        ok = False
        out.add(path, "too_short", "too-short", label=label, n=field.min_length)
    if limit is not None and length > limit:
        ok = False
        out.add(path, "too_long", "too-long", label=label, n=limit)
    allowed_controls = _LINE_BREAKS_AND_TABS if field.type == "long_text" else ""
    if any(unicodedata.category(c) == "Cc" and c not in allowed_controls for c in value):
        ok = False
        out.add(path, "invalid_characters", "invalid-characters", label=label)
    if field.pattern is not None and not re.fullmatch(field.pattern, value):
        ok = False
        out.add(path, "pattern_mismatch", "pattern-mismatch", label=label)
    return value if ok else _MISSING


def _number(field: FieldDefinition, raw: Any, path: str, out: _Collector) -> Any:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return _wrong_type(out, path, field)
    if isinstance(raw, float) and not math.isfinite(raw):
        return _wrong_type(out, path, field)
    value: int | float = raw
    if field.integer and isinstance(value, float):
        if not value.is_integer():
            out.add(path, "not_an_integer", "not-an-integer", label=_label(field))
            return _MISSING
        value = int(value)
    if field.min is not None and value < field.min:
        out.add(path, "below_min", "below-min", label=_label(field), n=_num(field.min))
        return _MISSING
    if field.max is not None and value > field.max:
        out.add(path, "above_max", "above-max", label=_label(field), n=_num(field.max))
        return _MISSING
    return value


def _date(field: FieldDefinition, raw: Any, path: str, out: _Collector, today: date) -> Any:
    if not isinstance(raw, str):
        return _wrong_type(out, path, field)
    text = raw.strip()
    parsed: date | None = None
    if _ISO_DATE.fullmatch(text):
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            parsed = None
    label = _label(field)
    if parsed is None:
        out.add(path, "invalid_date", "invalid-date", label=label)
        return _MISSING
    ok = True
    if field.min_date is not None and parsed < (low := date.fromisoformat(field.min_date)):
        ok = False
        out.add(path, "date_before_min", "date-before-min", label=label, day=_day(low))
    if field.max_date is not None and parsed > (high := date.fromisoformat(field.max_date)):
        ok = False
        out.add(path, "date_after_max", "date-after-max", label=label, day=_day(high))
    if field.not_in_future and parsed > today:
        ok = False
        out.add(path, "date_in_future", "date-in-future", label=label)
    return parsed.isoformat() if ok else _MISSING


def _select(field: FieldDefinition, raw: Any, path: str, out: _Collector) -> Any:
    options = field.options or ()
    if isinstance(raw, str) and any(option.value == raw for option in options):
        return raw
    listed = Localised(
        vi=", ".join(option.label_vi for option in options),
        en=", ".join(option.label_en for option in options),
    )
    out.add(path, "not_an_option", "not-an-option", label=_label(field), options=listed)
    return _MISSING


def _phone(field: FieldDefinition, raw: Any, path: str, out: _Collector) -> Any:
    if not isinstance(raw, str):
        return _wrong_type(out, path, field)
    normalised = normalise_vn_mobile(raw)
    if normalised is None:
        out.add(path, "invalid_phone", "invalid-phone", label=_label(field))
        return _MISSING
    return normalised


def _citizen_id(field: FieldDefinition, raw: Any, path: str, out: _Collector) -> Any:
    if not isinstance(raw, str):
        return _wrong_type(out, path, field)
    value = raw.strip()
    if cccd_structure_errors(value):
        out.add(path, "invalid_citizen_id", "invalid-citizen-id", label=_label(field))
        return _MISSING
    return value


def _admin_unit(
    field: FieldDefinition,
    raw: Any,
    path: str,
    units: AdminUnitLookup,
    out: _Collector,
    partial: bool,
) -> Any:
    if not isinstance(raw, Mapping):
        return _wrong_type(out, path, field)
    label = _label(field)
    ok = True
    # Name a few unknown keys, not all: a body may hold tens of thousands of them.
    unknown = [key for key in raw if key not in ("province_code", "commune_code")]
    for key in unknown[:MAX_UNKNOWN_KEYS_LISTED]:
        out.add(f"{path}.{key}", "unknown_field", "unit-unknown-field", label=label, name=str(key))
    ok = not unknown

    province = _unit_code(raw.get("province_code"))
    commune = _unit_code(raw.get("commune_code"))
    if province is None and commune is None:
        # An empty object is as good as no value at all.
        if ok and field.required and not partial:
            _required(out, path, field)
        return _MISSING

    province_path, commune_path = f"{path}.province_code", f"{path}.commune_code"
    known_province: str | None = None
    if province is None:
        ok = False
        out.add(province_path, "required", "province-required", label=label)
    elif not isinstance(province, str):
        ok = False
        out.add(province_path, "wrong_type", "province-code-wrong-type", label=label)
    elif _PROVINCE_CODE.fullmatch(province) and units.province_exists(province):
        known_province = province
    else:
        ok = False
        out.add(province_path, "unknown_province", "unknown-province", label=label)

    if commune is None:
        # A draft may hold the province before the commune is picked.
        if not partial:
            ok = False
            out.add(commune_path, "required", "commune-required", label=label)
    elif not isinstance(commune, str):
        ok = False
        out.add(commune_path, "wrong_type", "commune-code-wrong-type", label=label)
    elif known_province is not None and not (
        _COMMUNE_CODE.fullmatch(commune) and units.commune_in_province(known_province, commune)
    ):
        ok = False
        out.add(commune_path, "commune_not_in_province", "commune-not-in-province", label=label)

    if not ok or known_province is None:
        return _MISSING
    result = {"province_code": known_province}
    if isinstance(commune, str):
        result["commune_code"] = commune
    return result


def _unit_code(raw: Any) -> Any:
    """A unit code trimmed, None when absent or blank; a non-string is passed on as it is."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return raw.strip() if isinstance(raw, str) else raw
