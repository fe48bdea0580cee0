"""SQL for one-time codes, citizens, staff and sign-in sessions.

Time comparisons use the database clock (``now()``, the transaction's start) so every API
process agrees on when a code or session expires.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection

import asyncpg

from api.accounts.login_throttle import FORGET_AFTER_SECONDS, AfterFailure, ThrottleState
from api.accounts.person_rules import Person
from api.core.actors import SESSION_LIVE_SQL
from api.messages import DEFAULT_LANGUAGE, Language

# Serialises code requests for one phone, so counting the window and inserting cannot race.
_LOCK_PHONE = "SELECT pg_advisory_xact_lock(hashtextextended('otp:' || $1, 0))"

_RECENT_CODES = """
SELECT count(*) AS requested,
       coalesce(ceil(extract(epoch FROM min(created_at) + make_interval(secs => $2) - now())),
                0)::int AS frees_in
FROM otp_challenges
WHERE phone = $1 AND created_at > now() - make_interval(secs => $2)
"""

_VOID_OPEN_CODES = """
UPDATE otp_challenges SET voided_at = now()
WHERE phone = $1 AND consumed_at IS NULL AND voided_at IS NULL
"""

_CREATE_CODE = """
INSERT INTO otp_challenges (phone, code_hash, requested_ip, expires_at)
VALUES ($1, $2, $3, now() + make_interval(secs => $4))
RETURNING id
"""

# Only the newest code can be live: requesting a code voids the earlier ones.
_NEWEST_CODE_FOR_UPDATE = """
SELECT id, code_hash, attempts,
       consumed_at IS NOT NULL AS consumed,
       voided_at IS NOT NULL AS voided,
       expires_at <= now() AS expired
FROM otp_challenges
WHERE phone = $1
ORDER BY created_at DESC
LIMIT 1
FOR UPDATE
"""

_RECORD_WRONG_CODE = """
UPDATE otp_challenges
SET attempts = attempts + 1,
    voided_at = CASE WHEN attempts + 1 >= $2 THEN now() ELSE voided_at END
WHERE id = $1
RETURNING attempts
"""

_CONSUME_CODE = "UPDATE otp_challenges SET consumed_at = now() WHERE id = $1"
# Undoes a code request: the code goes, and the codes that request voided (in its own
# transaction, so at the instant the code was created) are live again.
_DISCARD_CODE = """
WITH discarded AS (
    DELETE FROM otp_challenges WHERE id = $1 AND consumed_at IS NULL
    RETURNING phone, created_at
)
UPDATE otp_challenges c SET voided_at = NULL
FROM discarded d
WHERE c.phone = d.phone AND c.voided_at = d.created_at AND c.attempts < $2
"""

_CITIZEN_COLUMNS = """
id, phone, full_name, date_of_birth, gender, citizen_id_number, province_code, commune_code,
street, email, language, identity_verified_at IS NOT NULL AS identity_verified
"""

_INSERT_CITIZEN = f"""
INSERT INTO citizens (phone) VALUES ($1)
ON CONFLICT (phone) DO NOTHING
RETURNING {_CITIZEN_COLUMNS}
"""

_CITIZEN_BY_PHONE = f"SELECT {_CITIZEN_COLUMNS} FROM citizens WHERE phone = $1"
_CITIZEN_BY_ID = f"SELECT {_CITIZEN_COLUMNS} FROM citizens WHERE id = $1"
_CITIZEN_BY_ID_FOR_UPDATE = f"{_CITIZEN_BY_ID} FOR UPDATE"
_CITIZEN_BY_ID_NUMBER_AND_PHONE = f"""
SELECT {_CITIZEN_COLUMNS} FROM citizens WHERE citizen_id_number = $1 AND phone = $2
"""

# Only a declared number can be verified; a row already verified keeps its first verification.
_MARK_IDENTITY_VERIFIED = """
UPDATE citizens
SET identity_verified_at = now(), identity_verified_by = $2, identity_verification_method = $3
WHERE id = $1 AND identity_verified_at IS NULL AND citizen_id_number IS NOT NULL
"""

_REPLACE_PROFILE = f"""
UPDATE citizens
SET full_name = $2, date_of_birth = $3, gender = $4, citizen_id_number = $5,
    province_code = $6, commune_code = $7, street = $8, email = $9
WHERE id = $1
RETURNING {_CITIZEN_COLUMNS}
"""

# Skips the write (and the change_seq bump) when the language is already the one asked for.
_SET_CITIZEN_LANGUAGE = """
UPDATE citizens SET language = $2 WHERE id = $1 AND language IS DISTINCT FROM $2
"""

_CITIZEN_LANGUAGE_BY_PHONE = "SELECT language FROM citizens WHERE phone = $1"

_STAFF_COLUMNS = """
st.id, st.username, st.full_name, st.role, st.unit_code,
coalesce(st.agency_code, u.agency_code) AS agency_code, st.active, st.language,
u.name_vi AS unit_name_vi, u.name_en AS unit_name_en
"""

_STAFF_BY_ID = f"""
SELECT {_STAFF_COLUMNS} FROM staff st LEFT JOIN units u ON u.code = st.unit_code WHERE st.id = $1
"""

_STAFF_FOR_LOGIN = f"""
SELECT {_STAFF_COLUMNS}, st.password_hash
FROM staff st LEFT JOIN units u ON u.code = st.unit_code
WHERE st.username = $1
"""

_UPGRADE_PASSWORD_HASH = "UPDATE staff SET password_hash = $2 WHERE id = $1"  # noqa: S105

# Serialises sign-ins of one (username, address) pair, so counting failures cannot race.
_LOCK_LOGIN_PAIR = """
SELECT pg_advisory_xact_lock(hashtextextended('staff-login:' || $1 || '@' || $2, 0))
"""

_LOGIN_THROTTLE = """
SELECT failures, delays,
       greatest(0, ceil(extract(epoch FROM blocked_until - now())))::int AS blocked_for
FROM staff_login_throttle
WHERE username_hash = $1 AND client_ip = $2
  AND last_failure_at > now() - make_interval(secs => $3)
"""

_RECORD_LOGIN_FAILURE = """
INSERT INTO staff_login_throttle AS t
    (username_hash, client_ip, failures, delays, blocked_until, last_failure_at)
VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5), now())
ON CONFLICT (username_hash, client_ip) DO UPDATE
SET failures = excluded.failures, delays = excluded.delays,
    blocked_until = excluded.blocked_until, last_failure_at = excluded.last_failure_at
"""

_FORGET_LOGIN_FAILURES = """
DELETE FROM staff_login_throttle WHERE username_hash = $1 AND client_ip = $2
"""

_PURGE_STALE_LOGIN_FAILURES = """
DELETE FROM staff_login_throttle
WHERE last_failure_at < now() - make_interval(secs => $1) AND blocked_until < now()
"""

# No outbox event: the officer's inbox notice is written beside it (api/notifications/notices.py).
_RECORD_SUSPICIOUS_FAILURES = """
INSERT INTO audit_log (actor_kind, actor_role, action, unit_code, note, request_id)
VALUES ('system', 'system', 'auth.suspicious_failures', $1, $2, $3)
"""

_SET_STAFF_LANGUAGE = """
UPDATE staff SET language = $2 WHERE id = $1 AND language IS DISTINCT FROM $2
"""

_LANGUAGES_OF = """
SELECT id, language FROM citizens WHERE id = ANY($1::uuid[])
UNION ALL
SELECT id, language FROM staff WHERE id = ANY($2::uuid[])
"""

_STAFF_UNIT = """
SELECT u.code AS unit_code, u.name_vi AS unit_name_vi, u.name_en AS unit_name_en,
       u.level AS unit_level, u.province_code AS unit_province_code, u.commune_code,
       a.code AS agency_code, a.name_vi AS agency_name_vi, a.name_en AS agency_name_en,
       a.level AS agency_level, a.province_code AS agency_province_code
FROM staff st
LEFT JOIN units u ON u.code = st.unit_code
LEFT JOIN agencies a ON a.code = coalesce(st.agency_code, u.agency_code)
WHERE st.id = $1
"""

_CREATE_SESSION = """
INSERT INTO auth_sessions (citizen_id, staff_id, expires_at)
VALUES ($1, $2, now() + make_interval(secs => $3))
RETURNING id, ceil(extract(epoch FROM expires_at - now()))::int AS expires_in
"""

_ADD_REFRESH_HASH = "INSERT INTO refresh_tokens (token_hash, session_id) VALUES ($1, $2)"

# Both rows are locked: a concurrent refresh with the same token waits here and then sees
# the token already used.
_REFRESH_ROW_FOR_UPDATE = f"""
SELECT rt.used_at IS NOT NULL AS used, s.id AS session_id, s.citizen_id, s.staff_id,
       {SESSION_LIVE_SQL} AS live,
       ceil(extract(epoch FROM s.expires_at - now()))::int AS expires_in
FROM refresh_tokens rt
JOIN auth_sessions s ON s.id = rt.session_id
WHERE rt.token_hash = $1
FOR UPDATE OF rt, s
"""

_MARK_REFRESH_USED = "UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1"

_REVOKE_SESSION = """
UPDATE auth_sessions SET revoked_at = now(), revoked_reason = $2
WHERE id = $1 AND revoked_at IS NULL
"""


async def languages_of(
    conn: asyncpg.Connection,
    *,
    citizen_ids: Collection[uuid.UUID] = (),
    staff_ids: Collection[uuid.UUID] = (),
) -> dict[uuid.UUID, Language]:
    """The language each recipient reads messages in, for whoever sends them a notification.
    Every id asked for is a key; one without an account gets the default language."""
    languages: dict[uuid.UUID, Language] = dict.fromkeys(
        [*citizen_ids, *staff_ids], DEFAULT_LANGUAGE
    )
    if languages:
        rows = await conn.fetch(_LANGUAGES_OF, list(citizen_ids), list(staff_ids))
        languages.update((row["id"], row["language"]) for row in rows)
    return languages


class OtpRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def lock_phone(self, phone: str) -> None:
        await self._conn.execute(_LOCK_PHONE, phone)

    async def recent_codes(self, phone: str, window_seconds: int) -> tuple[int, int]:
        """How many codes the phone got in the window, and seconds until the oldest of them
        leaves it."""
        row = await self._conn.fetchrow(_RECENT_CODES, phone, float(window_seconds))
        assert row is not None
        return int(row["requested"]), int(row["frees_in"])

    async def void_open_codes(self, phone: str) -> None:
        await self._conn.execute(_VOID_OPEN_CODES, phone)

    async def create(self, phone: str, code_hash: str, ip: str, ttl_seconds: int) -> uuid.UUID:
        challenge_id: uuid.UUID = await self._conn.fetchval(
            _CREATE_CODE, phone, code_hash, ip, float(ttl_seconds)
        )
        return challenge_id

    async def discard(self, challenge_id: uuid.UUID, max_attempts: int) -> None:
        """Forget a code whose SMS could not be queued, so it does not use up the phone's quota,
        and revive the codes its request voided: a failed request changes nothing."""
        await self._conn.execute(_DISCARD_CODE, challenge_id, max_attempts)

    async def newest_for_update(self, phone: str) -> asyncpg.Record | None:
        return await self._conn.fetchrow(_NEWEST_CODE_FOR_UPDATE, phone)

    async def record_wrong_code(self, challenge_id: uuid.UUID, max_attempts: int) -> int:
        """Count a wrong try (voiding the code at ``max_attempts``); returns the tries so far."""
        attempts: int = await self._conn.fetchval(_RECORD_WRONG_CODE, challenge_id, max_attempts)
        return attempts

    async def consume(self, challenge_id: uuid.UUID) -> None:
        await self._conn.execute(_CONSUME_CODE, challenge_id)


class CitizenRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def ensure(self, phone: str) -> asyncpg.Record:
        """The citizen with this phone, created (with an empty profile) if new."""
        created = await self._conn.fetchrow(_INSERT_CITIZEN, phone)
        if created is not None:
            return created
        # A separate statement: it sees a row a concurrent sign-in has just committed.
        existing = await self._conn.fetchrow(_CITIZEN_BY_PHONE, phone)
        assert existing is not None
        return existing

    async def get(self, citizen_id: uuid.UUID) -> asyncpg.Record | None:
        return await self._conn.fetchrow(_CITIZEN_BY_ID, citizen_id)

    async def holding(self, citizen_id_number: str, phone: str) -> asyncpg.Record | None:
        """The one account holding both this CCCD number and this phone (unique per account)."""
        return await self._conn.fetchrow(_CITIZEN_BY_ID_NUMBER_AND_PHONE, citizen_id_number, phone)

    async def get_for_update(self, citizen_id: uuid.UUID) -> asyncpg.Record | None:
        """The citizen, locked until the transaction ends (a profile change and an identity
        verification of one citizen do not interleave)."""
        return await self._conn.fetchrow(_CITIZEN_BY_ID_FOR_UPDATE, citizen_id)

    async def mark_identity_verified(
        self, citizen_id: uuid.UUID, staff_id: uuid.UUID | None, method: str
    ) -> None:
        await self._conn.execute(_MARK_IDENTITY_VERIFIED, citizen_id, staff_id, method)

    async def language_for_phone(self, phone: str) -> Language | None:
        """The language of the citizen with this phone, or None when no one has it yet."""
        language: Language | None = await self._conn.fetchval(_CITIZEN_LANGUAGE_BY_PHONE, phone)
        return language

    async def set_language(self, citizen_id: uuid.UUID, language: Language) -> None:
        await self._conn.execute(_SET_CITIZEN_LANGUAGE, citizen_id, language)

    async def replace_profile(self, citizen_id: uuid.UUID, person: Person) -> asyncpg.Record | None:
        return await self._conn.fetchrow(
            _REPLACE_PROFILE,
            citizen_id,
            person.full_name,
            person.date_of_birth,
            person.gender,
            person.citizen_id_number,
            person.province_code,
            person.commune_code,
            person.street,
            person.email,
        )


class StaffRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def get(self, staff_id: uuid.UUID) -> asyncpg.Record | None:
        return await self._conn.fetchrow(_STAFF_BY_ID, staff_id)

    async def for_login(self, username: str) -> asyncpg.Record | None:
        """The account and its password hash."""
        return await self._conn.fetchrow(_STAFF_FOR_LOGIN, username)

    async def upgrade_password_hash(self, staff_id: uuid.UUID, password_hash: str) -> None:
        await self._conn.execute(_UPGRADE_PASSWORD_HASH, staff_id, password_hash)

    async def record_suspicious_failures(
        self, unit_code: str | None, details: dict[str, object], request_id: str | None
    ) -> None:
        """An audit row for a burst of failed sign-ins against an account (``details`` name the
        account and the address), for the officer to be told of."""
        await self._conn.execute(
            _RECORD_SUSPICIOUS_FAILURES, unit_code, json.dumps(details), request_id
        )

    async def set_language(self, staff_id: uuid.UUID, language: Language) -> None:
        await self._conn.execute(_SET_STAFF_LANGUAGE, staff_id, language)

    async def unit_and_agency(self, staff_id: uuid.UUID) -> asyncpg.Record | None:
        return await self._conn.fetchrow(_STAFF_UNIT, staff_id)


class LoginThrottleRepository:
    """Failed staff sign-ins per (username hash, client address); see
    api.accounts.login_throttle for the policy."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def lock(self, username_hash: str, client_ip: str) -> None:
        await self._conn.execute(_LOCK_LOGIN_PAIR, username_hash, client_ip)

    async def state(self, username_hash: str, client_ip: str) -> ThrottleState:
        row = await self._conn.fetchrow(
            _LOGIN_THROTTLE, username_hash, client_ip, float(FORGET_AFTER_SECONDS)
        )
        if row is None:
            return ThrottleState()
        return ThrottleState(row["failures"], row["delays"], row["blocked_for"])

    async def record_failure(self, username_hash: str, client_ip: str, after: AfterFailure) -> None:
        await self._conn.execute(
            _RECORD_LOGIN_FAILURE,
            username_hash,
            client_ip,
            after.failures,
            after.delays,
            float(after.delay_seconds),
        )

    async def forget(self, username_hash: str, client_ip: str) -> None:
        await self._conn.execute(_FORGET_LOGIN_FAILURES, username_hash, client_ip)

    async def purge_stale(self) -> int:
        """Drop pairs nobody has failed with for a day; returns how many went."""
        status: str = await self._conn.execute(
            _PURGE_STALE_LOGIN_FAILURES, float(FORGET_AFTER_SECONDS)
        )
        return int(status.rsplit(" ", 1)[-1])


class SessionRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def create(
        self,
        *,
        citizen_id: uuid.UUID | None = None,
        staff_id: uuid.UUID | None = None,
        ttl_seconds: int,
    ) -> tuple[uuid.UUID, int]:
        """A new session; returns its id and the seconds it lasts."""
        row = await self._conn.fetchrow(_CREATE_SESSION, citizen_id, staff_id, float(ttl_seconds))
        assert row is not None
        return row["id"], int(row["expires_in"])

    async def add_refresh_token(self, session_id: uuid.UUID, token_hash: str) -> None:
        await self._conn.execute(_ADD_REFRESH_HASH, token_hash, session_id)

    async def refresh_token_for_update(self, token_hash: str) -> asyncpg.Record | None:
        return await self._conn.fetchrow(_REFRESH_ROW_FOR_UPDATE, token_hash)

    async def mark_refresh_token_used(self, token_hash: str) -> None:
        await self._conn.execute(_MARK_REFRESH_USED, token_hash)

    async def revoke(self, session_id: uuid.UUID, reason: str) -> None:
        await self._conn.execute(_REVOKE_SESSION, session_id, reason)
