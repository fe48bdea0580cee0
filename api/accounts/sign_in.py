"""Signing in and staying signed in: SMS codes for citizens, passwords for staff, and
rotating sessions.

A session is one sign-in. Its access tokens are short-lived and signed; its refresh tokens
are single use and form one family, so presenting a used one means it was copied and the
whole session is revoked.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg
from arq.connections import ArqRedis
from redis.exceptions import RedisError

from api.accounts.identity import normalise_vn_mobile
from api.accounts.login_throttle import AfterFailure, after_failure
from api.accounts.person_rules import person_field_problem
from api.accounts.problems import (
    AccountDisabled,
    InvalidCredentials,
    OtpExpired,
    OtpInvalid,
    OtpLocked,
    RefreshTokenInvalid,
    RefreshTokenReused,
    SmsUnavailable,
)
from api.accounts.profile import profile_complete
from api.accounts.repository import (
    CitizenRepository,
    LoginThrottleRepository,
    OtpRepository,
    SessionRepository,
    StaffRepository,
)
from api.accounts.schemas import CitizenAccount, StaffAccount, TokenPair
from api.core.jobs import enqueue_once
from api.core.logging import request_id_var
from api.core.passwords import DUMMY_HASH, hash_password, needs_rehash, verify_password
from api.core.problems import Problem, RateLimited, too_many_requests, validation_failed
from api.core.tokens import (
    SubjectKind,
    TokenSigner,
    hash_secret,
    keyed_hash,
    new_refresh_token,
)
from api.messages import DEFAULT_LANGUAGE, Message
from api.notifications.notices import (
    SUSPICIOUS_SIGN_IN,
    PushTarget,
    create_staff_notice,
    queue_pushes,
)
from api.settings import Settings

logger = logging.getLogger(__name__)


# --- phone and one-time codes --------------------------------------------------------------


def parse_phone(raw: str) -> str:
    """The phone in the stored '0xxxxxxxxx' form, or a 422 problem at ``phone``."""
    phone = normalise_vn_mobile(raw)
    if phone is None:
        raise validation_failed([person_field_problem("phone", "invalid_phone")])
    return phone


def new_otp_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def otp_sms(code: str, ttl_seconds: int) -> Message:
    return Message("accounts.sms.otp-code", {"code": code, "minutes": max(1, ttl_seconds // 60)})


@dataclass(frozen=True, slots=True)
class OtpIssued:
    code: str
    expires_in: int
    resend_after: int | None


# --- accounts as the token response shows them ---------------------------------------------


def citizen_account(citizen: asyncpg.Record) -> CitizenAccount:
    return CitizenAccount(id=citizen["id"], profile_complete=profile_complete(citizen))


def staff_account(staff: asyncpg.Record) -> StaffAccount:
    return StaffAccount(
        id=staff["id"],
        role=staff["role"],
        unit_code=staff["unit_code"],
        agency_code=staff["agency_code"],
    )


class AuthService:
    def __init__(
        self,
        conn: asyncpg.Connection,
        settings: Settings,
        signer: TokenSigner,
        otp_hash_key: bytes,
    ) -> None:
        self._conn = conn
        self._settings = settings
        self._signer = signer
        self._otp_hash_key = otp_hash_key
        self._sessions = SessionRepository(conn)

    async def request_code(self, phone: str, ip: str, redis: ArqRedis) -> OtpIssued:
        """Store a new code for ``phone`` (voiding its earlier ones) and queue the SMS."""
        settings = self._settings
        window = settings.otp_per_phone_window_seconds
        otp = OtpRepository(self._conn)
        code = new_otp_code()
        async with self._conn.transaction():
            await otp.lock_phone(phone)
            requested, frees_in = await otp.recent_codes(phone, window)
            if requested >= settings.otp_per_phone_limit:
                raise too_many_requests(frees_in)
            await otp.void_open_codes(phone)
            challenge_id = await otp.create(
                phone,
                keyed_hash(self._otp_hash_key, f"{phone}:{code}"),
                ip,
                settings.otp_ttl_seconds,
            )
            # A new phone has no account yet, so its first code is in the default language.
            language = await CitizenRepository(self._conn).language_for_phone(phone)
        # Only after the commit: the worker must never send a code the database did not keep.
        try:
            await enqueue_once(
                redis,
                "send_sms",
                job_id=f"otp:{challenge_id}",
                phone=phone,
                text=otp_sms(code, settings.otp_ttl_seconds).render(language or DEFAULT_LANGUAGE),
                message_id=str(challenge_id),
            )
        except (RedisError, OSError) as exc:
            logger.error("could not queue the OTP SMS", extra={"error": repr(exc)})
            async with self._conn.transaction():
                await otp.lock_phone(phone)
                await otp.discard(challenge_id, settings.otp_max_attempts)
            raise SmsUnavailable() from exc
        if settings.exposes_dev_codes:
            logger.info("otp code (development only)", extra={"phone": phone, "code": code})
        budget_spent = requested + 1 >= settings.otp_per_phone_limit
        return OtpIssued(
            code=code,
            expires_in=settings.otp_ttl_seconds,
            resend_after=(frees_in if requested else window) if budget_spent else None,
        )

    async def verify_code(self, phone: str, code: str) -> TokenPair:
        """Sign the citizen in (creating the account for a new phone) with the SMS code."""
        otp = OtpRepository(self._conn)
        async with self._conn.transaction():
            checked = await self._check_code(otp, phone, code)
            if not isinstance(checked, Problem):
                await otp.consume(checked)
                citizen = await CitizenRepository(self._conn).ensure(phone)
                return await self._open_session(citizen_account(citizen))
        # A wrong try must count although the request fails, so the transaction commits first.
        raise checked

    async def _check_code(self, otp: OtpRepository, phone: str, code: str) -> uuid.UUID | Problem:
        """The id of the phone's live code if ``code`` matches it, else the problem to report.
        The row stays locked, so of two parallel verifications only one can consume it."""
        challenge = await otp.newest_for_update(phone)
        if challenge is None or challenge["consumed"]:
            return OtpExpired()
        if challenge["voided"]:
            return OtpLocked()
        if challenge["expired"]:
            return OtpExpired()
        expected = keyed_hash(self._otp_hash_key, f"{phone}:{code}")
        if not hmac.compare_digest(challenge["code_hash"], expected):
            max_attempts = self._settings.otp_max_attempts
            attempts = await otp.record_wrong_code(challenge["id"], max_attempts)
            attempts_left = max_attempts - attempts
            return OtpInvalid(attempts_left) if attempts_left > 0 else OtpLocked()
        challenge_id: uuid.UUID = challenge["id"]
        return challenge_id

    async def staff_login(
        self, username: str, password: str, client_ip: str, redis: ArqRedis
    ) -> TokenPair:
        """Sign a staff member in. A wrong password and an unknown username get the same answer
        after the same work; so does a pair held back after repeated failures (see
        api.accounts.login_throttle), which is refused before the password is checked."""
        username = username.strip().lower()
        # Keyed: some people type their password into the username field.
        username_hash = keyed_hash(self._otp_hash_key, f"staff-login:{username}")
        throttle = LoginThrottleRepository(self._conn)
        staff = StaffRepository(self._conn)
        async with self._conn.transaction():
            await throttle.lock(username_hash, client_ip)
            state = await throttle.state(username_hash, client_ip)
            if state.blocked_for > 0:
                raise RateLimited(state.blocked_for)
            member = await staff.for_login(username)
            password_hash: str = member["password_hash"] if member is not None else DUMMY_HASH
            verified = await asyncio.to_thread(verify_password, password_hash, password)
            if verified and member is not None:
                if not member["active"]:
                    raise AccountDisabled()
                await throttle.forget(username_hash, client_ip)
                if needs_rehash(password_hash):
                    rehashed = await asyncio.to_thread(hash_password, password)
                    await staff.upgrade_password_hash(member["id"], rehashed)
                return await self._open_session(staff_account(member))
            after = after_failure(state)
            await throttle.record_failure(username_hash, client_ip, after)
            pushes: list[PushTarget] = []
            if after.delay_seconds and member is not None:
                pushes = await self._report_suspicious_failures(member, client_ip, after)
        # The failure must count although the request fails, so the transaction commits first;
        # the notice's pushes are queued only once it is committed.
        await queue_pushes(redis, pushes)
        raise RateLimited(after.delay_seconds) if after.delay_seconds else InvalidCredentials()

    async def _report_suspicious_failures(
        self, member: asyncpg.Record, client_ip: str, after: AfterFailure
    ) -> list[PushTarget]:
        """Tell the officer that someone keeps failing to sign in as them: an audit row and an
        inbox notice in the same transaction (one notice per officer and hour, however many
        delays the attacker runs into; the audit log keeps each), and a log line. Returns the
        notice's pushes to queue after the commit."""
        details: dict[str, object] = {
            "staff_id": str(member["id"]),
            "client_ip": client_ip,
            "failures": after.failures,
            "retry_after": after.delay_seconds,
        }
        await StaffRepository(self._conn).record_suspicious_failures(
            member["unit_code"], details, request_id_var.get()
        )
        hour = datetime.now(UTC).strftime("%Y-%m-%dT%H")
        pushes = await create_staff_notice(
            self._conn,
            kind=SUSPICIOUS_SIGN_IN,
            staff_ids=[member["id"]],
            dedupe_key=f"{SUSPICIOUS_SIGN_IN}:{hour}",
            params={
                "failures": str(after.failures),
                "client_ip": client_ip,
                "retry_minutes": str(max(1, after.delay_seconds // 60)),
            },
        )
        logger.warning(
            "suspicious sign-in failures",
            extra={
                "staff": str(member["id"]),
                "client_ip": client_ip,
                "failures": after.failures,
                "retry_after": after.delay_seconds,
            },
        )
        return pushes

    async def refresh(self, refresh_token: str) -> TokenPair:
        """Rotate: the presented token is spent and a new pair is issued for the same session."""
        token_hash = hash_secret(refresh_token)
        async with self._conn.transaction():
            found = await self._sessions.refresh_token_for_update(token_hash)
            if found is None or not found["live"]:
                raise RefreshTokenInvalid()
            session_id: uuid.UUID = found["session_id"]
            if not found["used"]:
                account = await self._account_of(found)
                if account is None:
                    raise RefreshTokenInvalid()
                await self._sessions.mark_refresh_token_used(token_hash)
                return await self._issue(session_id, account, found["expires_in"])
            await self._sessions.revoke(session_id, "refresh_token_reuse")
        # A spent token came back: someone holds a copy. The revocation commits before the 401.
        logger.warning("refresh token reused; session revoked", extra={"session": str(session_id)})
        raise RefreshTokenReused()

    async def logout(self, session_id: uuid.UUID) -> None:
        async with self._conn.transaction():
            await self._sessions.revoke(session_id, "logout")

    async def _account_of(self, session: asyncpg.Record) -> CitizenAccount | StaffAccount | None:
        """Who the session belongs to, or None when that account may no longer sign in."""
        if session["citizen_id"] is not None:
            citizen = await CitizenRepository(self._conn).get(session["citizen_id"])
            return citizen_account(citizen) if citizen is not None else None
        officer = await StaffRepository(self._conn).get(session["staff_id"])
        if officer is None or not officer["active"]:
            return None
        return staff_account(officer)

    async def _open_session(self, account: CitizenAccount | StaffAccount) -> TokenPair:
        session_id, expires_in = await self._sessions.create(
            citizen_id=account.id if isinstance(account, CitizenAccount) else None,
            staff_id=account.id if isinstance(account, StaffAccount) else None,
            ttl_seconds=self._settings.refresh_token_ttl_seconds,
        )
        return await self._issue(session_id, account, expires_in)

    async def _issue(
        self,
        session_id: uuid.UUID,
        account: CitizenAccount | StaffAccount,
        session_expires_in: int,
    ) -> TokenPair:
        refresh_token = new_refresh_token()
        await self._sessions.add_refresh_token(session_id, hash_secret(refresh_token))
        # An access token never outlives its session.
        ttl = min(self._settings.access_token_ttl_seconds, session_expires_in)
        kind: SubjectKind = "citizen" if isinstance(account, CitizenAccount) else "staff"
        access_token, _ = self._signer.issue(session_id, account.id, kind, ttl)
        return TokenPair(
            access_token=access_token,
            expires_in=ttl,
            refresh_token=refresh_token,
            refresh_expires_in=session_expires_in,
            account=account,
        )
