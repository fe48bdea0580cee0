"""Vietnam's date and time zone: deadlines, receipt numbers and 'not in the future' checks all
count days in Vietnam (UTC+7), whatever the server's zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def vn_today(now: datetime | None = None) -> date:
    """The calendar date in Vietnam at ``now`` (default: the current time).

    ``now`` must be timezone-aware: a naive datetime is ambiguous and is refused.
    """
    if now is None:
        return datetime.now(VN_TZ).date()
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("vn_today() needs a timezone-aware datetime")
    return now.astimezone(VN_TZ).date()
