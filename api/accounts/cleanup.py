"""Daily clean-up of sign-in data: one-time codes past their expiry (kept while they still
count towards the per-phone limit) and sessions past their expiry with their refresh tokens
(a revoked session stays until it expires, so reuse of its tokens is still recognised)."""

from __future__ import annotations

import asyncpg
import msgspec

_BATCH = 5000

_OTPS = """
DELETE FROM otp_challenges WHERE id IN (
    SELECT id FROM otp_challenges
    WHERE expires_at < now() AND created_at < now() - make_interval(secs => $1)
    LIMIT $2)
"""

_SESSIONS = """
WITH expired AS (
    SELECT id FROM auth_sessions WHERE expires_at < now() LIMIT $1
), tokens AS (
    DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM expired)
)
DELETE FROM auth_sessions WHERE id IN (SELECT id FROM expired)
"""


class SignInPurge(msgspec.Struct, frozen=True):
    otps: int
    sessions: int


async def _repeat(conn: asyncpg.Connection, sql: str, *args: object) -> int:
    """Run a batched DELETE until a batch comes back short; rows deleted in all."""
    total = 0
    while True:
        status = await conn.execute(sql, *args)
        count = int(status.split()[-1])
        total += count
        if count < _BATCH:
            return total


async def purge_expired_sign_in(pool: asyncpg.Pool, *, otp_window_seconds: int) -> SignInPurge:
    async with pool.acquire() as conn:
        otps = await _repeat(conn, _OTPS, otp_window_seconds, _BATCH)
        sessions = await _repeat(conn, _SESSIONS, _BATCH)
    return SignInPurge(otps=otps, sessions=sessions)
