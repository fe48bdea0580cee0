"""Sign-in and accounts: SMS codes for citizens, passwords for staff, rotating sessions, and
the citizen's "declare once" profile.

A session is one sign-in. Its access tokens are short-lived and signed; its refresh tokens
are single use and form one family, so presenting a used one means it was copied and the
whole session is revoked.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
import secrets
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date

import asyncpg
from arq.connections import ArqRedis
from redis.exceptions import RedisError

from api.accounts.cccd import CccdMismatch, cccd_consistency_errors
from api.accounts.identity import CccdProblem, cccd_structure_errors, normalise_vn_mobile
from api.accounts.repository import (
    CitizenRepository,
    OtpRepository,
    SessionRepository,
    StaffRepository,
)
from api.accounts.schemas import (
    AddressRead,
    AgencyRead,
    CitizenAccount,
    CitizenMe,
    ProfileRead,
    ProfileUpdate,
    StaffAccount,
    StaffMe,
    StaffUnitRead,
    TokenPair,
    UnitRead,
    UnitRef,
)
from api.core.actors import Actor
from api.core.clock import vn_today
from api.core.jobs import enqueue_once
from api.core.passwords import DUMMY_HASH, hash_password, needs_rehash, verify_password
from api.core.problems import (
    FieldProblem,
    LegacyField,
    LegacyProblem,
    Problem,
    conflict,
    not_found,
    too_many_requests,
    validation_failed,
)
from api.core.tokens import (
    SubjectKind,
    TokenSigner,
    hash_secret,
    keyed_hash,
    new_refresh_token,
)
from api.geo.directory import AdminUnits
from api.settings import Settings

logger = logging.getLogger(__name__)

# Settings hold no login-per-IP budget; this one is generous for a shared office connection
# and still stops password spraying across many accounts.
STAFF_LOGIN_PER_IP_LIMIT = 30
STAFF_LOGIN_PER_IP_WINDOW_SECONDS = 900

# What "declare once" asks of every citizen before filing, with labels for error messages.
PROFILE_FIELDS: dict[str, tuple[str, str]] = {
    "full_name": ("Họ và tên", "Full name"),
    "date_of_birth": ("Ngày sinh", "Date of birth"),
    "gender": ("Giới tính", "Gender"),
    "citizen_id_number": ("Số định danh cá nhân (CCCD)", "Citizen ID number"),
    "province_code": ("Tỉnh/thành phố thường trú", "Province of permanent residence"),
    "commune_code": ("Xã/phường thường trú", "Commune of permanent residence"),
    "street": ("Địa chỉ thường trú (số nhà, đường)", "Street address"),
}
_EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")
# Names of some ethnic minorities are written with an apostrophe or a hyphen (H'Hen Niê, K'Nớ).
_NAME_PUNCTUATION = frozenset("'’-")
_CITIZEN_ID_UNIQUE = "citizens_citizen_id_number_key"
_EARLIEST_BIRTH_YEAR = 1900


# --- problems ------------------------------------------------------------------------------


def invalid_phone() -> Problem:
    return validation_failed(
        [
            LegacyField(
                "phone",
                "invalid_phone",
                "Số điện thoại di động Việt Nam không hợp lệ",
                "Not a valid Vietnamese mobile number",
            )
        ]
    )


def otp_expired() -> Problem:
    return LegacyProblem(
        400,
        "otp-expired",
        "Mã xác thực đã hết hạn",
        "The code has expired",
        "Mã xác thực đã hết hạn hoặc đã được sử dụng. Vui lòng yêu cầu mã mới.",
        "The code has expired or was already used. Please request a new one.",
    )


def otp_invalid(attempts_left: int) -> Problem:
    return LegacyProblem(
        400,
        "otp-invalid",
        "Mã xác thực không đúng",
        "Wrong code",
        f"Mã xác thực không đúng. Bạn còn {attempts_left} lần thử.",
        f"The code is wrong. {attempts_left} attempts left.",
        extra={"attempts_left": attempts_left},
    )


def otp_locked() -> Problem:
    return LegacyProblem(
        400,
        "otp-locked",
        "Mã xác thực đã bị khóa",
        "The code is locked",
        "Bạn đã nhập sai quá số lần cho phép. Vui lòng yêu cầu mã mới.",
        "Too many wrong attempts. Please request a new code.",
    )


def refresh_token_invalid() -> Problem:
    return LegacyProblem(
        401,
        "refresh-token-invalid",
        "Phiên đăng nhập đã hết hạn",
        "Session expired",
        "Phiên đăng nhập không hợp lệ, đã hết hạn hoặc đã đăng xuất. Vui lòng đăng nhập lại.",
        "The refresh token is unknown, expired or signed out. Please sign in again.",
        headers={"WWW-Authenticate": "Bearer"},
    )


def refresh_token_reused() -> Problem:
    return LegacyProblem(
        401,
        "refresh-token-reused",
        "Phiên đăng nhập đã bị thu hồi",
        "Session revoked",
        "Mã làm mới đã được dùng trước đó nên phiên đăng nhập bị thu hồi để bảo vệ tài khoản. "
        "Vui lòng đăng nhập lại.",
        "This refresh token was already used, so the session was revoked to protect the "
        "account. Please sign in again.",
        headers={"WWW-Authenticate": "Bearer"},
    )


def invalid_credentials() -> Problem:
    return LegacyProblem(
        401,
        "invalid-credentials",
        "Sai tên đăng nhập hoặc mật khẩu",
        "Wrong username or password",
    )


def account_locked(retry_after: int) -> Problem:
    retry_after = max(1, retry_after)
    return LegacyProblem(
        423,
        "account-locked",
        "Tài khoản tạm thời bị khóa",
        "Account temporarily locked",
        f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {retry_after} giây.",
        f"Too many failed sign-ins. Please try again in {retry_after} seconds.",
        headers={"Retry-After": str(retry_after)},
        extra={"retry_after": retry_after},
    )


def account_disabled() -> Problem:
    return LegacyProblem(
        403,
        "account-disabled",
        "Tài khoản đã bị vô hiệu hóa",
        "Account disabled",
        "Tài khoản này không còn được sử dụng. Vui lòng liên hệ quản trị viên.",
        "This account is disabled. Please contact your administrator.",
    )


def sms_unavailable() -> Problem:
    return LegacyProblem(
        503,
        "sms-unavailable",
        "Chưa gửi được tin nhắn",
        "Could not send the SMS",
        "Hệ thống chưa gửi được mã xác thực. Vui lòng thử lại sau ít phút.",
        "The verification code could not be sent. Please try again in a few minutes.",
        headers={"Retry-After": "30"},
    )


def citizen_id_taken() -> Problem:
    return conflict(
        "citizen-id-taken",
        "Số CCCD đã được dùng cho tài khoản khác",
        "This citizen ID number belongs to another account",
    )


# --- phone and one-time codes --------------------------------------------------------------


def parse_phone(raw: str) -> str:
    """The phone in the stored '0xxxxxxxxx' form, or a 422 problem at ``phone``."""
    phone = normalise_vn_mobile(raw)
    if phone is None:
        raise invalid_phone()
    return phone


def new_otp_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def otp_sms_text(code: str, ttl_seconds: int) -> str:
    minutes = max(1, ttl_seconds // 60)
    return f"Mã xác thực Một Cửa của bạn là {code}, hiệu lực {minutes} phút. Không chia sẻ mã này."


@dataclass(frozen=True, slots=True)
class OtpIssued:
    code: str
    expires_in: int
    resend_after: int | None


# --- accounts as the token response shows them ---------------------------------------------


def missing_profile_fields(citizen: asyncpg.Record) -> list[str]:
    return [name for name in PROFILE_FIELDS if not citizen[name]]


def profile_complete(citizen: asyncpg.Record) -> bool:
    return not missing_profile_fields(citizen)


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
        # Only after the commit: the worker must never send a code the database did not keep.
        try:
            await enqueue_once(
                redis,
                "send_sms",
                job_id=f"otp:{challenge_id}",
                phone=phone,
                text=otp_sms_text(code, settings.otp_ttl_seconds),
                message_id=str(challenge_id),
            )
        except (RedisError, OSError) as exc:
            logger.error("could not queue the OTP SMS", extra={"error": repr(exc)})
            async with self._conn.transaction():
                await otp.lock_phone(phone)
                await otp.discard(challenge_id, settings.otp_max_attempts)
            raise sms_unavailable() from exc
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
            return otp_expired()
        if challenge["voided"]:
            return otp_locked()
        if challenge["expired"]:
            return otp_expired()
        expected = keyed_hash(self._otp_hash_key, f"{phone}:{code}")
        if not hmac.compare_digest(challenge["code_hash"], expected):
            max_attempts = self._settings.otp_max_attempts
            attempts = await otp.record_wrong_code(challenge["id"], max_attempts)
            attempts_left = max_attempts - attempts
            return otp_invalid(attempts_left) if attempts_left > 0 else otp_locked()
        challenge_id: uuid.UUID = challenge["id"]
        return challenge_id

    async def staff_login(self, username: str, password: str) -> TokenPair:
        settings = self._settings
        staff = StaffRepository(self._conn)
        async with self._conn.transaction():
            member = await staff.for_login(username.strip().lower())
            if member is None:
                # Same work as a wrong password, so response time does not reveal usernames.
                await asyncio.to_thread(verify_password, DUMMY_HASH, password)
                raise invalid_credentials()
            if member["locked_for"] is not None and member["locked_for"] > 0:
                raise account_locked(member["locked_for"])
            password_hash: str = member["password_hash"]
            if await asyncio.to_thread(verify_password, password_hash, password):
                if not member["active"]:
                    raise account_disabled()
                rehashed = None
                if needs_rehash(password_hash):
                    rehashed = await asyncio.to_thread(hash_password, password)
                await staff.record_login(member["id"], rehashed)
                return await self._open_session(staff_account(member))
            locked_for = await staff.record_failed_login(
                member["id"], settings.staff_max_failed_logins, settings.staff_lockout_seconds
            )
        # The failure must count although the request fails, so the transaction commits first.
        raise account_locked(locked_for) if locked_for else invalid_credentials()

    async def refresh(self, refresh_token: str) -> TokenPair:
        """Rotate: the presented token is spent and a new pair is issued for the same session."""
        token_hash = hash_secret(refresh_token)
        async with self._conn.transaction():
            found = await self._sessions.refresh_token_for_update(token_hash)
            if found is None or not found["live"]:
                raise refresh_token_invalid()
            session_id: uuid.UUID = found["session_id"]
            if not found["used"]:
                account = await self._account_of(found)
                if account is None:
                    raise refresh_token_invalid()
                await self._sessions.mark_refresh_token_used(token_hash)
                return await self._issue(session_id, account, found["expires_in"])
            await self._sessions.revoke(session_id, "refresh_token_reuse")
        # A spent token came back: someone holds a copy. The revocation commits before the 401.
        logger.warning("refresh token reused; session revoked", extra={"session": str(session_id)})
        raise refresh_token_reused()

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


# --- who am I, and the staff member's unit -------------------------------------------------


class AccountService:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def me(self, actor: Actor) -> CitizenMe | StaffMe:
        if actor.kind == "citizen":
            citizen = await CitizenRepository(self._conn).get(actor.id)
            if citizen is None:
                raise not_found("Không tìm thấy tài khoản", "Account not found")
            return CitizenMe(
                id=citizen["id"], phone=citizen["phone"], profile_complete=profile_complete(citizen)
            )
        officer = await StaffRepository(self._conn).get(actor.id)
        if officer is None:
            raise not_found("Không tìm thấy tài khoản", "Account not found")
        unit = None
        if officer["unit_code"] is not None:
            unit = UnitRef(
                code=officer["unit_code"],
                name_vi=officer["unit_name_vi"],
                name_en=officer["unit_name_en"],
            )
        return StaffMe(
            id=officer["id"],
            username=officer["username"],
            full_name=officer["full_name"],
            role=officer["role"],
            unit=unit,
            agency_code=officer["agency_code"],
        )

    async def staff_unit(self, staff_id: uuid.UUID) -> StaffUnitRead:
        row = await StaffRepository(self._conn).unit_and_agency(staff_id)
        if row is None:
            raise not_found("Không tìm thấy tài khoản", "Account not found")
        unit = None
        if row["unit_code"] is not None:
            unit = UnitRead(
                code=row["unit_code"],
                name_vi=row["unit_name_vi"],
                name_en=row["unit_name_en"],
                level=row["unit_level"],
                province_code=row["unit_province_code"],
                commune_code=row["commune_code"],
            )
        agency = None
        if row["agency_code"] is not None:
            agency = AgencyRead(
                code=row["agency_code"],
                name_vi=row["agency_name_vi"],
                name_en=row["agency_name_en"],
                level=row["agency_level"],
                province_code=row["agency_province_code"],
            )
        return StaffUnitRead(unit=unit, agency=agency)


# --- the citizen profile -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CleanProfile:
    full_name: str
    date_of_birth: date
    gender: str
    citizen_id_number: str
    province_code: str
    commune_code: str
    street: str
    email: str | None


def _collapse_spaces(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _is_name_character(char: str) -> bool:
    return (
        char == " "
        or char in _NAME_PUNCTUATION
        or char.isalpha()
        or unicodedata.category(char).startswith("M")
    )


def _has_control_characters(text: str) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in text)


_CCCD_STRUCTURE_MESSAGES: dict[CccdProblem, tuple[str, str]] = {
    "not_12_digits": ("Số CCCD phải gồm đúng 12 chữ số", "The citizen ID number must be 12 digits"),
    "unknown_province": (
        "3 chữ số đầu của số CCCD không phải mã tỉnh nơi đăng ký khai sinh",
        "The first 3 digits are not a province-of-birth code",
    ),
    "invalid_century_gender_digit": (
        "Chữ số thứ 4 của số CCCD (mã thế kỷ và giới tính) phải từ 0 đến 3",
        "The 4th digit (century and gender code) must be 0 to 3",
    ),
}
_CCCD_MISMATCH_MESSAGES: dict[CccdMismatch, tuple[str, str]] = {
    "gender_century_mismatch": (
        "Chữ số thứ 4 của số CCCD (mã thế kỷ và giới tính) không khớp với ngày sinh và giới tính",
        "The 4th digit (century and gender code) does not match the date of birth and gender",
    ),
    "birth_year_mismatch": (
        "Chữ số thứ 5–6 của số CCCD không khớp với năm sinh",
        "Digits 5–6 do not match the year of birth",
    ),
}


def clean_profile(update: ProfileUpdate, units: AdminUnits, today: date) -> CleanProfile:
    """The normalised profile, or one 422 problem listing every invalid field."""
    errors: list[FieldProblem] = []

    full_name = _collapse_spaces(update.full_name)
    if not 2 <= len(full_name) <= 100:
        errors.append(
            LegacyField(
                "full_name",
                "length",
                "Họ và tên phải có từ 2 đến 100 ký tự",
                "Full name must be 2 to 100 characters",
            )
        )
    elif not full_name[0].isalpha() or not all(_is_name_character(c) for c in full_name):
        errors.append(
            LegacyField(
                "full_name",
                "invalid_characters",
                "Họ và tên chỉ gồm chữ cái, dấu cách, dấu nháy (') và dấu gạch nối (-)",
                "Full name may contain only letters, spaces, apostrophes (') and hyphens (-)",
            )
        )

    birth = update.date_of_birth
    birth_ok = birth.year >= _EARLIEST_BIRTH_YEAR and birth < today
    if not birth_ok:
        errors.append(
            LegacyField(
                "date_of_birth",
                "out_of_range",
                "Ngày sinh phải trong quá khứ và từ năm 1900",
                "Date of birth must be in the past and not before 1900",
            )
        )

    cccd = update.citizen_id_number.strip()
    structure = cccd_structure_errors(cccd)
    for problem in structure:
        vi, en = _CCCD_STRUCTURE_MESSAGES[problem]
        errors.append(LegacyField("citizen_id_number", problem, vi, en))
    if not structure and birth_ok:
        for mismatch in cccd_consistency_errors(cccd, birth, update.gender):
            vi, en = _CCCD_MISMATCH_MESSAGES[mismatch]
            errors.append(LegacyField("citizen_id_number", mismatch, vi, en))

    address = update.address
    if not units.province_exists(address.province_code):
        errors.append(
            LegacyField(
                "address.province_code",
                "unknown_province",
                "Không có tỉnh/thành phố với mã này",
                "No province has this code",
            )
        )
    elif not units.commune_in_province(address.province_code, address.commune_code):
        errors.append(
            LegacyField(
                "address.commune_code",
                "commune_not_in_province",
                "Xã/phường không thuộc tỉnh/thành phố đã chọn",
                "The commune is not in the chosen province",
            )
        )
    street = _collapse_spaces(address.street)
    if not 1 <= len(street) <= 200:
        errors.append(
            LegacyField(
                "address.street",
                "length",
                "Số nhà, đường phải có từ 1 đến 200 ký tự",
                "Street address must be 1 to 200 characters",
            )
        )
    elif _has_control_characters(street):
        errors.append(
            LegacyField(
                "address.street",
                "invalid_characters",
                "Số nhà, đường chứa ký tự điều khiển không được phép",
                "Street address contains control characters",
            )
        )

    email = (update.email or "").strip() or None
    if email is not None and (len(email) > 254 or not _EMAIL.fullmatch(email)):
        errors.append(
            LegacyField("email", "invalid_email", "Địa chỉ email không hợp lệ", "Invalid email")
        )

    if errors:
        raise validation_failed(errors)
    return CleanProfile(
        full_name=full_name,
        date_of_birth=birth,
        gender=update.gender,
        citizen_id_number=cccd,
        province_code=address.province_code,
        commune_code=address.commune_code,
        street=street,
        email=email,
    )


class ProfileService:
    def __init__(self, conn: asyncpg.Connection, units: AdminUnits) -> None:
        self._conn = conn
        self._units = units
        self._citizens = CitizenRepository(conn)

    async def read(self, citizen_id: uuid.UUID) -> ProfileRead:
        citizen = await self._citizens.get(citizen_id)
        if citizen is None:
            raise not_found("Không tìm thấy tài khoản", "Account not found")
        return self._profile(citizen)

    async def replace(self, citizen_id: uuid.UUID, update: ProfileUpdate) -> ProfileRead:
        clean = clean_profile(update, self._units, vn_today())
        try:
            async with self._conn.transaction():
                citizen = await self._citizens.replace_profile(
                    citizen_id,
                    full_name=clean.full_name,
                    date_of_birth=clean.date_of_birth,
                    gender=clean.gender,
                    citizen_id_number=clean.citizen_id_number,
                    province_code=clean.province_code,
                    commune_code=clean.commune_code,
                    street=clean.street,
                    email=clean.email,
                )
        except asyncpg.UniqueViolationError as exc:
            # The unique index is the only check that holds against a concurrent claim.
            if exc.constraint_name == _CITIZEN_ID_UNIQUE:
                raise citizen_id_taken() from exc
            raise
        if citizen is None:
            raise not_found("Không tìm thấy tài khoản", "Account not found")
        return self._profile(citizen)

    def _profile(self, citizen: asyncpg.Record) -> ProfileRead:
        return ProfileRead(
            id=citizen["id"],
            phone=citizen["phone"],
            full_name=citizen["full_name"],
            date_of_birth=citizen["date_of_birth"],
            gender=citizen["gender"],
            citizen_id_number=citizen["citizen_id_number"],
            address=self._address(citizen),
            email=citizen["email"],
            profile_complete=profile_complete(citizen),
        )

    def _address(self, citizen: asyncpg.Record) -> AddressRead | None:
        province = self._units.province(citizen["province_code"] or "")
        commune = self._units.commune(citizen["commune_code"] or "")
        if province is None or commune is None or citizen["street"] is None:
            return None
        return AddressRead(
            province_code=province.code,
            province_name_vi=province.name_vi,
            province_name_en=province.name_en,
            commune_code=commune.code,
            commune_name_vi=commune.name_vi,
            commune_name_en=commune.name_en,
            street=citizen["street"],
        )
