"""Public, sign-in-free views: one application's progress and aggregate service statistics.

Nothing here may carry personal data beyond the masked applicant name.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import msgspec

# How an application stands against its legal deadline (its due date in working days):
#   on_time           still open, today (Vietnam) is on or before the due date
#   overdue           still open and the due date has passed
#   paused            waiting for the citizen's supplementary documents; the clock is stopped
#   finished_on_time  processing finished (result issued or rejected) on or before the due date
#   finished_late     processing finished after the due date
# null when no deadline applies: not yet received (no due date), or closed without a decision
# (returned at reception, withdrawn).
OnTime = Literal["on_time", "overdue", "paused", "finished_on_time", "finished_late"]


class NamedRef(msgspec.Struct, frozen=True):
    code: str
    name_vi: str
    name_en: str


class TimelineEntry(msgspec.Struct, frozen=True):
    status: str
    at: datetime
    label_vi: str
    label_en: str


class TrackingRead(msgspec.Struct, frozen=True):
    receipt_code: str
    procedure: NamedRef
    unit: NamedRef
    received_on: date | None
    due_date: date | None
    status: str
    status_label_vi: str
    status_label_en: str
    on_time: OnTime | None
    # Working days until the due date (negative once overdue; frozen while paused);
    # null once finished or while there is no due date.
    working_days_left: int | None
    applicant_name_masked: str
    timeline: list[TimelineEntry]


class StatsPeriod(msgspec.Struct, frozen=True):
    from_: date = msgspec.field(name="from")
    to: date


class StatsFigures(msgspec.Struct, frozen=True):
    received: int
    completed: int
    completed_on_time: int
    # Percentages with one decimal; null when there is nothing to divide by.
    on_time_rate: float | None
    overdue_now: int
    online_share: float | None


class StatsRow(StatsFigures, frozen=True):
    """The figures of one procedure at one unit."""

    unit_code: str
    unit_name_vi: str
    unit_name_en: str
    procedure_code: str
    procedure_name_vi: str
    procedure_name_en: str


class PublicStatsRead(msgspec.Struct, frozen=True):
    period: StatsPeriod
    unit: str | None
    rows: list[StatsRow]
    totals: StatsFigures
