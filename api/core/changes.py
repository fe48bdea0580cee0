"""A change feed over the tables that carry ``change_seq``, which never skips a committed change.

The problem. ``change_seq`` numbers come from a sequence: they are taken at write time and
become visible at commit time. A reader following ``change_seq > cursor`` can see 101
committed while 100 is still running, move its cursor to 101 and never see 100. Filtering on
"committed before the oldest running transaction" alone does not fix a cursor on
``change_seq``: a transaction can take its sequence number before it has a transaction id
(``nextval`` does not assign one, BEFORE triggers run before the row is written) or long after
(it wrote another table first), so sequence order and transaction order disagree.

The design (the same idea PgQ has used for years). Every such row also records
``change_xid``, the id of the transaction that wrote it last (insert default, update trigger;
migration 0009). A read:

1. takes the watermark ``W = pg_snapshot_xmin(pg_current_snapshot())``: every transaction with
   an id below W has finished (committed or rolled back), every running or future one has an
   id >= W (the reader's own, if it has one, included);
2. returns rows with ``change_xid < W`` and ``(change_xid, change_seq) > cursor``, ordered by
   ``(change_xid, change_seq)``.

Rows below W are final and visible to any later statement, so the read never returns
something that could still change or vanish; whatever commits later carries an id >= W, which
is above every position already returned, so it cannot land behind the cursor. Positions are
therefore never skipped and strictly increase. When a page comes back short (everything safe
was read), the next position is ``(W, 0)``: nothing matching the filter below W is left, and
readers with selective filters do not rescan rows they skipped.

What follows from it:

* A change shows up once its transaction and every older running transaction (in the whole
  PostgreSQL cluster, since transaction ids are cluster-wide) have finished. A long-open
  writing transaction delays the feed; it never makes it lose anything. Read-only
  transactions do not hold it back.
* An updated row moves to its new position and only appears there (latest state); readers that
  need every step use the append-only ``events`` table. Deleted rows do not appear at all.
* Writers must leave ``change_seq``/``change_xid`` to the defaults and the trigger.

Cursors are opaque strings made by ``api.core.pagination.encode_cursor``; they name the table
and the filter they were made for, so a cursor reused for another table or filter (which could
skip rows) is refused with the usual 422 ``invalid_cursor`` problem, like a tampered one.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from typing import Annotated, Literal, TypeAlias, get_args

import asyncpg
import msgspec

from api.core.pagination import decode_cursor, encode_cursor, invalid_cursor

FeedTable: TypeAlias = Literal[
    "citizens", "staff", "applications", "application_documents", "events", "notifications"
]
FEED_TABLES: tuple[FeedTable, ...] = get_args(FeedTable)

FilterScalar: TypeAlias = str | int | bool | uuid.UUID
FilterValue: TypeAlias = FilterScalar | list[FilterScalar] | tuple[FilterScalar, ...]
"""A list or tuple means "any of these"; anything else means "equal to this"."""

# Columns a reader may filter on, per table: filters only ever compare these to bound
# parameters, so no caller-supplied text reaches the SQL.
FILTERABLE: Mapping[FeedTable, frozenset[str]] = {
    "citizens": frozenset({"id"}),
    "staff": frozenset({"id", "unit_code", "agency_code", "role"}),
    "applications": frozenset({"id", "unit_code", "citizen_id", "procedure_code", "status"}),
    "application_documents": frozenset({"id", "application_id", "kind", "status"}),
    "events": frozenset({"application_id", "type"}),
    "notifications": frozenset({"recipient"}),
}

MAX_PAGE = 1000
_CURSOR_TAG = "feed1"
NonNegative = Annotated[int, msgspec.Meta(ge=0)]


class FeedPosition(msgspec.Struct, frozen=True, order=True):
    """A point in the feed: ``change_xid`` then ``change_seq`` (fields compare in that order)."""

    xid: NonNegative
    seq: NonNegative


FEED_START = FeedPosition(xid=0, seq=0)
"""Before every row (rows older than migration 0009 carry xid 0 and a sequence number >= 1)."""


class Change(msgspec.Struct, frozen=True):
    position: FeedPosition
    row: asyncpg.Record


class ChangePage(msgspec.Struct, frozen=True):
    changes: list[Change]
    position: FeedPosition
    """Where the next read starts (pass it as ``after``)."""
    cursor: str
    """``position`` as an opaque string for this table and filter."""
    caught_up: bool
    """Fewer than ``limit`` rows: everything safe to read right now has been read."""


def _filter_fingerprint(where: Mapping[str, FilterValue] | None) -> str:
    normalised = sorted(
        (column, sorted(str(v) for v in value) if isinstance(value, list | tuple) else str(value))
        for column, value in (where or {}).items()
    )
    return hashlib.sha256(msgspec.msgpack.encode(normalised)).hexdigest()[:16]


def encode_feed_cursor(
    table: FeedTable, position: FeedPosition, where: Mapping[str, FilterValue] | None = None
) -> str:
    return encode_cursor(_CURSOR_TAG, table, _filter_fingerprint(where), position.xid, position.seq)


def decode_feed_cursor(
    cursor: str | None, table: FeedTable, where: Mapping[str, FilterValue] | None = None
) -> FeedPosition | None:
    """The position in ``cursor`` (None for no cursor); the 422 ``invalid_cursor`` problem for
    a cursor that was tampered with or made for another table or filter."""
    decoded = decode_cursor(cursor, tuple[str, str, str, NonNegative, NonNegative])
    if decoded is None:
        return None
    tag, cursor_table, fingerprint, xid, seq = decoded
    if (tag, cursor_table, fingerprint) != (_CURSOR_TAG, table, _filter_fingerprint(where)):
        raise invalid_cursor()
    return FeedPosition(xid=xid, seq=seq)


async def feed_watermark(conn: asyncpg.Connection) -> int:
    """The oldest transaction id still running: everything below it is final."""
    watermark: int = await conn.fetchval("SELECT pg_snapshot_xmin(pg_current_snapshot())")
    return watermark


async def feed_head(conn: asyncpg.Connection) -> FeedPosition:
    """A position for "from now on": rows already final are behind it, nothing that commits
    later (nor anything still in flight) is."""
    return FeedPosition(xid=await feed_watermark(conn), seq=0)


def _conditions(
    table: FeedTable, where: Mapping[str, FilterValue] | None, first_param: int
) -> tuple[str, list[object]]:
    sql: list[str] = []
    args: list[object] = []
    for column, value in (where or {}).items():
        if column not in FILTERABLE[table]:
            raise ValueError(f"{table}.{column} is not a feed filter column")
        args.append(list(value) if isinstance(value, list | tuple) else value)
        placeholder = f"${first_param + len(args) - 1}"
        if isinstance(value, list | tuple):
            sql.append(f' AND t."{column}" = ANY({placeholder})')
        else:
            sql.append(f' AND t."{column}" = {placeholder}')
    return "".join(sql), args


async def read_changes(
    conn: asyncpg.Connection,
    table: FeedTable,
    after: FeedPosition | None,
    *,
    limit: int,
    where: Mapping[str, FilterValue] | None = None,
) -> ChangePage:
    """Up to ``limit`` rows of ``table`` changed after ``after`` (None: from the beginning) that
    are safe to hand out, oldest first; ``where`` narrows them (columns from ``FILTERABLE``)."""
    if table not in FEED_TABLES:
        raise ValueError(f"{table!r} is not a feed table")
    if not 1 <= limit <= MAX_PAGE:
        raise ValueError(f"limit must be between 1 and {MAX_PAGE}")
    start = after or FEED_START
    # The watermark comes first, in its own statement: rows below it are final and visible to
    # the next statement's snapshot. Taking it after the rows could claim rows never looked at.
    watermark = await feed_watermark(conn)
    extra, extra_args = _conditions(table, where, first_param=5)
    rows = await conn.fetch(
        f"SELECT t.* FROM {table} AS t"
        " WHERE t.change_xid < $1::xid8"
        " AND (t.change_xid, t.change_seq) > ($2::xid8, $3::bigint)"
        f"{extra}"
        " ORDER BY t.change_xid, t.change_seq LIMIT $4",
        watermark,
        start.xid,
        start.seq,
        limit,
        *extra_args,
    )
    changes = [
        Change(position=FeedPosition(xid=row["change_xid"], seq=row["change_seq"]), row=row)
        for row in rows
    ]
    caught_up = len(changes) < limit
    # A short page read everything matching below the watermark: the next read starts there.
    position = max(start, FeedPosition(xid=watermark, seq=0)) if caught_up else changes[-1].position
    return ChangePage(
        changes=changes,
        position=position,
        cursor=encode_feed_cursor(table, position, where),
        caught_up=caught_up,
    )
