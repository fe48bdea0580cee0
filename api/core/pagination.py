"""Opaque cursors for keyset pagination, shared by every list endpoint."""

from __future__ import annotations

import base64
from typing import Any

import msgspec

from api.core.problems import FieldProblem, Problem, validation_failed


def encode_cursor(*values: Any) -> str:
    return base64.urlsafe_b64encode(msgspec.msgpack.encode(list(values))).rstrip(b"=").decode()


def decode_cursor(cursor: str | None, *, size: int) -> list[Any] | None:
    """The values of a cursor made by ``encode_cursor``; a 422 problem if it was tampered."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = msgspec.msgpack.decode(raw)
    except (ValueError, msgspec.DecodeError):
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise invalid_cursor()
    return values


def invalid_cursor() -> Problem:
    """The 422 problem for a cursor this API did not make (also for well-formed cursors whose
    values have the wrong types for the list at hand)."""
    return validation_failed(
        [FieldProblem("cursor", "invalid_cursor", "Con trỏ trang không hợp lệ", "Invalid cursor")]
    )
