"""The agency's applications as a change feed: every change to an application of one of the
agency's units, in commit order, never skipping one (``api.core.changes``).

A poller keeps ``next_cursor`` and passes it back as ``cursor``; that alone guarantees it sees
every change. ``updated_since`` (a time) starts a new poller without a cursor: the feed starts
at the first change made at or after that time, so it may repeat a few older changes, never
miss one. An application appears once per read at its latest state; an application changed
twice between two polls appears once.
"""

from __future__ import annotations

from datetime import datetime
from typing import get_args

import asyncpg

from api.agency.repository import AgencyRepository
from api.agency.schemas import AgencyApplication, AgencyApplicationPage
from api.applications.state_machine import QueueStatus
from api.core.actors import Actor
from api.core.changes import (
    FeedPosition,
    FilterScalar,
    FilterValue,
    decode_feed_cursor,
    feed_head,
    read_changes,
)

# Online drafts are the citizen's until submitted (api/applications/access.py): the feed lists
# applications in the statuses an officer's queue can show.
_LISTED: tuple[str, ...] = get_args(QueueStatus)


class AgencyFeedService:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn
        self._repo = AgencyRepository(conn)

    async def changes(
        self,
        actor: Actor,
        *,
        cursor: str | None,
        updated_since: datetime | None,
        status: QueueStatus | None,
        limit: int,
    ) -> AgencyApplicationPage:
        assert actor.agency_code is not None  # agency actors only
        units = await self._repo.unit_codes(actor.agency_code)
        statuses: FilterValue = status or list(_LISTED)
        where: dict[str, FilterValue] = {"unit_code": list[FilterScalar](units), "status": statuses}
        after = decode_feed_cursor(cursor, "applications", where)
        if after is None and updated_since is not None:
            after = await self._start_at(units, updated_since)
        page = await read_changes(self._conn, "applications", after, limit=limit, where=where)
        items = [
            AgencyApplication(**{field: change.row[field] for field in _FIELDS})
            for change in page.changes
        ]
        return AgencyApplicationPage(items=items, next_cursor=page.cursor, caught_up=page.caught_up)

    async def _start_at(self, units: list[str], since: datetime) -> FeedPosition:
        """Just before the first change at or after ``since``; the feed head if none is
        readable yet, or earlier when a change still in flight could sort before it."""
        head = await feed_head(self._conn)
        first = await self._repo.first_change_since(units, since)
        if first is None:
            return head
        return min(head, FeedPosition(xid=first["change_xid"], seq=first["change_seq"] - 1))


_FIELDS = AgencyApplication.__struct_fields__
