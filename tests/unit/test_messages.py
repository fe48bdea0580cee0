"""The message catalogue: every entry in both languages with the same parameters."""

from __future__ import annotations

import pytest

from api.messages import LANGUAGES, Localised, Message, catalogue, msg, parameters, render


def test_every_entry_has_vietnamese_and_english_with_the_same_parameters() -> None:
    problems = []
    for key, texts in catalogue().items():
        if set(texts) != set(LANGUAGES):
            problems.append(f"{key}: has {sorted(texts)}, needs {sorted(LANGUAGES)}")
            continue
        if any(not isinstance(value, str) or not value.strip() for value in texts.values()):
            problems.append(f"{key}: an empty or non-text entry")
            continue
        if parameters(texts["vi"]) != parameters(texts["en"]):
            problems.append(
                f"{key}: vi uses {sorted(parameters(texts['vi']))}, "
                f"en uses {sorted(parameters(texts['en']))}"
            )
    assert not problems, "\n".join(problems)


def test_parameters_can_be_messages_or_texts_from_data() -> None:
    length = msg(
        "core.fields.length",
        comparison=msg("core.comparisons.at_most"),
        n=5,
        unit=msg("core.units.characters"),
    )
    assert render(length, "vi") == "Độ dài không được lớn hơn 5 ký tự"
    assert render(length, "en") == "Length must be at most 5 character(s)"
    named = msg("core.fields.not_an_option", value=Localised(vi="Nam", en="Male"))
    assert render(named, "en") == "Male is not one of the allowed values"


def test_an_unknown_key_fails_where_the_message_is_made() -> None:
    with pytest.raises(KeyError):
        Message("core.fields.no-such-entry")
