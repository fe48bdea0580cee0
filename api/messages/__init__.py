"""Every sentence a user reads, in Vietnamese and English, kept out of the code.

The catalogue is the TOML files beside this module. A file's name is the first part of each
key it holds (``core.toml`` holds ``core.…``), and every entry is a table with a ``vi`` and an
``en`` text using the same named parameters (``{retry_after}``)::

    [problems.rate-limited]
    title = { vi = "Quá nhiều yêu cầu", en = "Too many requests" }

Code names what to say with a ``Message`` (a key and its parameters) and leaves the choice of
language to whoever delivers it: the request's ``Accept-Language`` for an error response, the
recipient's own preference for a push message or an SMS. A parameter may itself be a
``Message`` (rendered in the same language) or a ``Localised`` pair taken from data, such as a
procedure's name.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

import msgspec

Language = Literal["vi", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT_LANGUAGE: Language = "vi"

CATALOGUE_DIR = Path(__file__).resolve().parent


class Localised(msgspec.Struct, frozen=True):
    """A text that comes from data in both languages (a procedure or document name)."""

    vi: str
    en: str

    def in_language(self, language: Language) -> str:
        return self.vi if language == "vi" else self.en


class Message(msgspec.Struct, frozen=True):
    """What to say, not yet said in any language: a catalogue key and its parameters."""

    key: str
    params: dict[str, Any] = msgspec.field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.key not in catalogue():
            raise KeyError(f"no message {self.key!r} in the catalogue")

    def render(self, language: Language) -> str:
        return render(self, language)


def msg(key: str, **params: Any) -> Message:
    return Message(key, params)


def render(message: Message, language: Language) -> str:
    template = catalogue()[message.key][language]
    return template.format_map(
        {name: _rendered(value, language) for name, value in message.params.items()}
    )


def text(key: str, language: Language, **params: Any) -> str:
    return render(Message(key, params), language)


def _rendered(value: Any, language: Language) -> Any:
    if isinstance(value, Message):
        return render(value, language)
    if isinstance(value, Localised):
        return value.in_language(language)
    return value


def parameters(template: str) -> frozenset[str]:
    """The named parameters a template uses (``{name}`` and ``{name:…}``)."""
    return frozenset(
        field.split(".")[0].split("[")[0]
        for _, field, _, _ in string.Formatter().parse(template)
        if field
    )


@cache
def catalogue() -> Mapping[str, Mapping[str, str]]:
    """Every entry, by its full key: ``{"core.problems.not-found.title": {"vi": …, "en": …}}``."""
    entries: dict[str, dict[str, str]] = {}
    for path in sorted(CATALOGUE_DIR.glob("*.toml")):
        with path.open("rb") as file:
            _flatten(path.stem, tomllib.load(file), entries)
    return entries


def _flatten(prefix: str, table: dict[str, Any], into: dict[str, dict[str, str]]) -> None:
    if set(table) & set(LANGUAGES):
        into[prefix] = table
        return
    for name, value in table.items():
        if not isinstance(value, dict):
            raise ValueError(f"{prefix}.{name}: expected a table of texts, got {value!r}")
        _flatten(f"{prefix}.{name}", value, into)
