"""Public tracking of one application by receipt code, and aggregate service statistics."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import asyncpg
import msgspec
from redis.exceptions import RedisError

from api.applications.calendar import WorkingCalendar
from api.core.clock import vn_today
from api.core.masking import mask_name
from api.core.problems import FieldProblem, validation_failed
from api.tracking.labels import status_message
from api.tracking.repository import StatsRepository, TrackingRepository
from api.tracking.schemas import (
    NamedRef,
    OnTime,
    PublicStatsRead,
    StatsFigures,
    StatsPeriod,
    StatsRow,
    TimelineEntry,
    TrackingRead,
)

logger = logging.getLogger(__name__)
Figures = TypeVar("Figures", bound=StatsFigures)

# The check segment is absent from codes issued before it existed.
RECEIPT_CODE = re.compile(r"^[A-Z0-9]{3,10}-\d{6}-\d{4}(?:-[0-9A-Z]{3})?$")
# Statuses that end an application without a decision: no deadline is judged for them.
_CLOSED_WITHOUT_DECISION = frozenset({"returned", "withdrawn"})

DEFAULT_STATS_DAYS = 30
MAX_STATS_DAYS = 366
# Nothing was filed before the service existed; the bounds also keep date arithmetic in range.
EARLIEST_STATS_DAY = date(2000, 1, 1)
LATEST_STATS_DAY = date(2099, 12, 31)
STATS_CACHE_SECONDS = 60


def normalise_receipt_code(raw: str) -> str | None:
    """The code in canonical form, or None if it cannot be a receipt code at all."""
    code = raw.strip().upper()
    return code if RECEIPT_CODE.fullmatch(code) else None


def build_timeline(events: Iterable[Mapping[str, Any]]) -> list[TimelineEntry]:
    """Status changes in order, without the draft stage; one transition announced by two
    events (e.g. a status change and a supplement request) is shown once."""
    timeline: list[TimelineEntry] = []
    for event in events:
        status = event["to_status"]
        if status == "draft" or (timeline and timeline[-1].status == status):
            continue
        label_vi, label_en = status_labels(status)
        timeline.append(
            TimelineEntry(
                status=status,
                at=_event_time(event["occurred_at"], event["recorded_at"]),
                label_vi=label_vi,
                label_en=label_en,
            )
        )
    return timeline


@functools.lru_cache(maxsize=64)
def status_labels(status: str) -> tuple[str, str]:
    """The status's public name in (Vietnamese, English): public tracking answers in both,
    whatever the request asks. Rendered once per status and process (the catalogue is fixed
    while running)."""
    message = status_message(status)
    return message.render("vi"), message.render("en")


def _event_time(reported: str | None, recorded: datetime) -> datetime:
    """When the change happened, in UTC: the payload's time if it is a full timestamp."""
    try:
        at = datetime.fromisoformat(reported) if reported else recorded
    except ValueError:
        at = recorded
    return (at if at.tzinfo is not None else recorded).astimezone(UTC)


def deadline_standing(
    *,
    status: str,
    due_date: date | None,
    clock_paused_on: date | None,
    completed_at: datetime | None,
    today: date,
    calendar: WorkingCalendar,
) -> tuple[OnTime | None, int | None]:
    """(on_time, working_days_left) as defined on ``TrackingRead``."""
    if status in _CLOSED_WITHOUT_DECISION or due_date is None:
        return None, None
    if completed_at is not None:
        finished_on = vn_today(completed_at)
        return ("finished_on_time" if finished_on <= due_date else "finished_late"), None
    if clock_paused_on is not None:
        return "paused", calendar.working_days_left(clock_paused_on, due_date)
    left = calendar.working_days_left(today, due_date)
    return ("overdue" if today > due_date else "on_time"), left


class TrackingService:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._repository = TrackingRepository(conn)

    async def track(self, raw_code: str) -> TrackingRead | None:
        """The public view of the application, or None for any code that finds nothing."""
        code = normalise_receipt_code(raw_code)
        if code is None:
            return None
        found = await self._repository.tracking_view(code)
        if found is None:
            return None
        row, events, calendar = found
        on_time, days_left = deadline_standing(
            status=row["status"],
            due_date=row["due_date"],
            clock_paused_on=row["clock_paused_on"],
            completed_at=row["completed_at"],
            today=vn_today(),
            calendar=calendar,
        )
        label_vi, label_en = status_labels(row["status"])
        return TrackingRead(
            receipt_code=row["receipt_code"],
            procedure=NamedRef(
                row["procedure_code"], row["procedure_name_vi"], row["procedure_name_en"]
            ),
            unit=NamedRef(row["unit_code"], row["unit_name_vi"], row["unit_name_en"]),
            received_on=row["received_on"],
            due_date=row["due_date"],
            status=row["status"],
            status_label_vi=label_vi,
            status_label_en=label_en,
            on_time=on_time,
            working_days_left=days_left,
            applicant_name_masked=mask_name(row["applicant_name"]),
            timeline=build_timeline(events),
        )


def stats_period(period_from: date | None, period_to: date | None, today: date) -> StatsPeriod:
    """The requested period, by default the last 30 days (Vietnam time) up to today."""
    for path, given in (("from", period_from), ("to", period_to)):
        if given is not None and not EARLIEST_STATS_DAY <= given <= LATEST_STATS_DAY:
            raise _invalid(
                path,
                "out_of_range",
                "tracking.fields.date-out-of-range",
                earliest=EARLIEST_STATS_DAY,
                latest=LATEST_STATS_DAY,
            )
    to = period_to or today
    start = period_from or to - timedelta(days=DEFAULT_STATS_DAYS - 1)
    if start > to:
        raise _invalid("to", "before_from", "tracking.fields.to-before-from")
    if (to - start).days + 1 > MAX_STATS_DAYS:
        raise _invalid(
            "to", "period_too_long", "tracking.fields.period-too-long", max_days=MAX_STATS_DAYS
        )
    return StatsPeriod(from_=start, to=to)


def _invalid(path: str, code: str, key: str, **params: Any) -> Exception:
    return validation_failed([FieldProblem(path, code, key, **params)])


class StatsService:
    def __init__(self, conn: asyncpg.Connection, redis: Any) -> None:
        self._repository = StatsRepository(conn)
        self._redis = redis

    async def public_stats(
        self, period_from: date | None, period_to: date | None, unit_code: str | None
    ) -> PublicStatsRead:
        today = vn_today()
        period = stats_period(period_from, period_to, today)
        # overdue_now depends on today, so the day is part of the key.
        cache_key = f"public-stats:{period.from_}:{period.to}:{unit_code or '*'}:{today}"
        cached = await self._cached(cache_key)
        if cached is not None:
            return cached
        if unit_code is not None and not await self._repository.unit_exists(unit_code):
            raise _invalid("unit", "unknown_unit", "tracking.fields.unknown-unit")
        stats = await self._compute(period, today, unit_code)
        await self._store(cache_key, stats)
        return stats

    async def _compute(
        self, period: StatsPeriod, today: date, unit_code: str | None
    ) -> PublicStatsRead:
        records = await self._repository.public_stats(period.from_, period.to, today, unit_code)
        rows = [_from_record(r, StatsRow) for r in records if not r["is_total"]]
        totals = _from_record(next(r for r in records if r["is_total"]), StatsFigures)
        return PublicStatsRead(period=period, unit=unit_code, rows=rows, totals=totals)

    # The cache only saves work: when Redis is unavailable the figures are computed afresh.
    async def _cached(self, key: str) -> PublicStatsRead | None:
        try:
            raw = await self._redis.get(key)
        except RedisError as exc:
            logger.warning("stats cache unavailable", extra={"error": repr(exc)})
            return None
        return None if raw is None else msgspec.json.decode(raw, type=PublicStatsRead)

    async def _store(self, key: str, stats: PublicStatsRead) -> None:
        try:
            await self._redis.set(key, msgspec.json.encode(stats), ex=STATS_CACHE_SECONDS)
        except RedisError as exc:
            logger.warning("stats cache unavailable", extra={"error": repr(exc)})


def _from_record(record: asyncpg.Record, shape: type[Figures]) -> Figures:
    """``shape`` filled from the record's columns of the same names."""
    return shape(**{name: record[name] for name in shape.__struct_fields__})
