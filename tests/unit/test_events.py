"""The event contract and the unit scope of lists: pure checks, no services."""

from __future__ import annotations

import itertools
import re
import uuid
from pathlib import Path
from typing import get_args

import msgspec
import pytest

from api.applications.access import unit_scope
from api.applications.events import EVENT_FOR_ACTION, ApplicationEvent, decode_event, event_type
from api.applications.state_machine import MOVES
from api.core.actors import Actor, Role, can_act_for_unit

DOC = Path(__file__).resolve().parents[2] / "docs" / "events.md"


def test_every_move_writes_a_typed_event() -> None:
    assert {action for _, action in MOVES} == set(EVENT_FOR_ACTION)


def test_docs_list_every_event_type_with_an_example_that_decodes() -> None:
    text = DOC.read_text()
    examples = re.findall(r"```json\n(.*?)```", text, flags=re.S)
    documented = {}
    for example in examples:
        payload = msgspec.json.decode(example)
        documented[payload["type"]] = decode_event(payload["type"], payload["seq"], payload)
    assert set(documented) == {event_type(cls) for cls in get_args(ApplicationEvent)}


def test_an_unknown_field_is_refused() -> None:
    text = DOC.read_text()
    payload = msgspec.json.decode(re.findall(r"```json\n(.*?)```", text, flags=re.S)[0])
    with pytest.raises(msgspec.ValidationError):
        decode_event(payload["type"], payload["seq"], {**payload, "full_name": "Nguyễn Văn An"})


@pytest.mark.parametrize("role", get_args(Role))
def test_the_unit_scope_of_lists_is_the_one_rule(role: Role) -> None:
    codes = ("00004", "00008", None)
    agencies = ("A1", "A2", None)
    for own_unit, own_agency in itertools.product(codes, agencies):
        actor = Actor(
            kind="citizen" if role == "citizen" else "staff",
            id=uuid.uuid4(),
            role=role,
            unit_code=own_unit,
            agency_code=own_agency,
        )
        scope = unit_scope(actor)
        for unit, agency in itertools.product(("00004", "00008"), ("A1", "A2")):
            in_sql = scope.every_unit or scope.unit_code == unit or scope.agency_code == agency
            assert in_sql == can_act_for_unit(actor, unit, agency), (actor, unit, agency)
