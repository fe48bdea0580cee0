"""Opaque cursors for keyset pagination, shared by every list endpoint."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any, TypeVar

import msgspec

from api.core.problems import FieldProblem, Problem, validation_failed

T = TypeVar("T")


def encode_cursor(*values: Any) -> str:
    return base64.urlsafe_b64encode(msgspec.msgpack.encode(list(values))).rstrip(b"=").decode()


def decode_cursor(cursor: str | None, shape: type[T]) -> T | None:
    """The position a cursor made by ``encode_cursor`` holds, converted to ``shape`` (a tuple
    type such as ``tuple[datetime, UUID]``); a 422 problem if the cursor was tampered with."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        position = msgspec.convert(msgspec.msgpack.decode(raw), shape)
    except (ValueError, msgspec.DecodeError, msgspec.ValidationError):
        raise invalid_cursor() from None
    if isinstance(position, tuple) and not all(map(_storable, position)):
        raise invalid_cursor()
    return position


def _storable(value: Any) -> bool:
    """Whether PostgreSQL can take a decoded cursor value: a time must have a zone and stay
    within the years both sides represent once moved to UTC (9999-12-31 at -23:59 does not)."""
    if not isinstance(value, datetime):
        return True
    if value.tzinfo is None:
        return False
    try:
        value.astimezone(UTC)
    except OverflowError:
        return False
    return True


def invalid_cursor() -> Problem:
    """The 422 problem for a cursor this API did not make (also for well-formed cursors whose
    values have the wrong types for the list at hand)."""
    return validation_failed([FieldProblem("cursor", "invalid_cursor")])
