"""The one state machine of an application: which action moves it from which status to which,
who may take that action, and what must be true first.

Every status change — the citizen's submit, withdraw and resubmit as much as the officer's
transitions — is looked up in ``MOVES``; a pair that is not in the table is not allowed.
"""

from __future__ import annotations

import functools
from typing import Literal, cast, get_args

import msgspec

# Every status but draft: where an application can be once submitted, so what an officer's
# queue can show.
QueueStatus = Literal[
    "submitted",
    "received",
    "returned",
    "processing",
    "supplement_requested",
    "approved",
    "rejected",
    "result_issued",
    "completed",
    "withdrawn",
]
Status = Literal["draft", QueueStatus]
STATUSES: tuple[Status, ...] = get_args(Status)

Action = Literal[
    "submit",
    "withdraw",
    "receive",
    "return",
    "start",
    "request_supplement",
    "resubmit",
    "approve",
    "reject",
    "issue_result",
    "complete",
    "confirm_receipt",
    "set_new_due_date",
]

# Who takes an action:
#   citizen       - the citizen whose application it is (access.py lets no other citizen reach it);
#   staff         - staff whose scope covers the application's unit (can_act_for_unit);
#   counter_staff - staff in scope acting for an applicant standing at the counter, which is
#                   allowed only on applications taken in at the counter (channel 'counter');
#   system        - the scheduler: the daily clean-up withdraws drafts untouched for 30 days.
Party = Literal["citizen", "staff", "counter_staff", "system"]

# What must hold before a move:
#   note                - a non-empty note (the reason, shown to the citizen);
#   missing_documents   - a non-empty list of the documents the citizen must add;
#   complete            - the form passes full validation and every required document is stored
#                         (documents are not enforced for counter intake: the officer saw the
#                         originals);
#   supplied            - every document named by the last supplement request was stored after it;
#   result_document     - a stored result document exists;
#   new_due_date        - a new due date: a working day after today and after the current due
#                         date (a late file gets a new date and an apology, the ``note``).
Requirement = Literal[
    "note", "missing_documents", "complete", "supplied", "result_document", "new_due_date"
]

# What a move does to the processing clock:
#   start  - receipt code, received_on = today, due_date from the procedure's processing days;
#   pause  - clock_paused_on = today (waiting for the citizen);
#   resume - due_date moves by the working days spent paused; clock_paused_on cleared;
#   finish - completed_at = now (processing is over; on-time rates compare it with due_date).
#   reschedule - due_date = the command's new due date (the status stays).
ClockEffect = Literal["start", "pause", "resume", "finish", "reschedule"]


class Move(msgspec.Struct, frozen=True):
    to_status: Status
    parties: frozenset[Party]
    requires: frozenset[Requirement] = frozenset()
    clock: ClockEffect | None = None


_APPLICANT: frozenset[Party] = frozenset({"citizen", "counter_staff"})
_CITIZEN: frozenset[Party] = frozenset({"citizen"})
_STAFF: frozenset[Party] = frozenset({"staff"})
_SYSTEM: frozenset[Party] = frozenset({"system"})

_RESCHEDULABLE: tuple[Status, ...] = ("submitted", "received", "processing", "approved")

MOVES: dict[tuple[Status, Action], Move] = {
    ("draft", "submit"): Move("submitted", _APPLICANT, frozenset({"complete"}), "start"),
    ("draft", "withdraw"): Move("withdrawn", _APPLICANT | _SYSTEM),
    ("submitted", "receive"): Move("received", _STAFF),
    ("submitted", "return"): Move("returned", _STAFF, frozenset({"note"})),
    ("submitted", "withdraw"): Move("withdrawn", _CITIZEN),
    ("received", "start"): Move("processing", _STAFF),
    ("received", "withdraw"): Move("withdrawn", _CITIZEN),
    ("processing", "request_supplement"): Move(
        "supplement_requested", _STAFF, frozenset({"note", "missing_documents"}), "pause"
    ),
    ("supplement_requested", "resubmit"): Move(
        "processing", _APPLICANT, frozenset({"complete", "supplied"}), "resume"
    ),
    ("processing", "approve"): Move("approved", _STAFF),
    ("processing", "reject"): Move("rejected", _STAFF, frozenset({"note"}), "finish"),
    ("approved", "issue_result"): Move(
        "result_issued", _STAFF, frozenset({"result_document"}), "finish"
    ),
    ("result_issued", "complete"): Move("completed", _STAFF),
    ("result_issued", "confirm_receipt"): Move("completed", _CITIZEN),
    # A file that will be (or is) late: the officer sets a new date and apologises in the note;
    # the status stays. Every status whose deadline still runs (queue.NO_SLA lists the others).
    **{
        (status, "set_new_due_date"): Move(
            status, _STAFF, frozenset({"note", "new_due_date"}), "reschedule"
        )
        for status in _RESCHEDULABLE
    },
}

# Statuses the applicant may still change the application in: edit the form (the citizen or
# the counter officer) and add input documents (the citizen; api/documents uses this set).
EDITABLE: frozenset[str] = frozenset({"draft", "supplement_requested"})

# No further processing: the deadline no longer runs (the queue reports no SLA for these).
FINISHED: frozenset[str] = frozenset(
    {"returned", "rejected", "result_issued", "completed", "withdrawn"}
)
# Closed for good: nobody has anything left to do (hidden from the default officer queue).
CLOSED: frozenset[str] = frozenset({"returned", "rejected", "completed", "withdrawn"})


def parties_of(actor_kind: str, channel: str) -> frozenset[Party]:
    """The parties an actor (already known to be in scope) acts as on one application."""
    if actor_kind == "citizen":
        return _CITIZEN
    if actor_kind == "staff":
        return frozenset({"staff", "counter_staff"}) if channel == "counter" else _STAFF
    if actor_kind == "api_key":
        # An agency's system processes like its staff; nobody stands at its counter.
        return _STAFF
    if actor_kind == "system":
        return _SYSTEM
    return frozenset()


def move_for(status: str, action: str) -> Move | None:
    """The move ``action`` makes from ``status``, or None when the table has no such move."""
    return MOVES.get(cast("tuple[Status, Action]", (status, action)))


def allowed_actions(status: str, parties: frozenset[Party]) -> list[Action]:
    return list(_allowed_actions(status, parties))


# Every application of a pull page or a list asks; the table is fixed, so each (status,
# parties) pair is worked out once per process.
@functools.lru_cache(maxsize=256)
def _allowed_actions(status: str, parties: frozenset[Party]) -> tuple[Action, ...]:
    return tuple(
        action
        for (from_status, action), move in MOVES.items()
        if from_status == status and move.parties & parties
    )
