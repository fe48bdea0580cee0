from __future__ import annotations

from typing import Annotated, Any

import asyncpg
from litestar import Controller, Request, get, patch, post, put
from litestar.datastructures import State
from litestar.params import Parameter

from api.accounts.citizen_lookup import CitizenLookup
from api.accounts.login_throttle import STAFF_LOGIN_PER_IP_LIMIT, STAFF_LOGIN_PER_IP_WINDOW_SECONDS
from api.accounts.me import AccountService
from api.accounts.profile import ProfileService
from api.accounts.schemas import (
    CitizenAccountMatch,
    CitizenMe,
    MeUpdate,
    OtpRequest,
    OtpSent,
    OtpVerify,
    ProfileRead,
    ProfileUpdate,
    RefreshRequest,
    StaffLogin,
    StaffMe,
    StaffUnitRead,
    TokenPair,
)
from api.accounts.sign_in import AuthService, parse_phone
from api.core.actors import Actor, citizen_only, signed_in, staff_only
from api.core.problems import problem_responses
from api.core.ratelimit import client_address
from api.settings import Settings

_BEARER: list[dict[str, list[str]]] = [{"bearer": []}]


def _auth(db: asyncpg.Connection, state: State) -> AuthService:
    return AuthService(db, state.settings, state.token_signer, state.otp_hash_key)


class AuthController(Controller):
    path = "/auth"
    tags = ["Sign-in"]

    @post(
        "/otp",
        status_code=202,
        summary="Send a one-time sign-in code by SMS to a Vietnamese mobile number",
        description="At most 3 codes per phone in 15 minutes; a new code voids the earlier "
        "ones. The code is valid for 5 minutes. `dev_code` appears only outside production.",
        responses=problem_responses(
            400,
            422,
            429,
            503,
            notes={
                429: "Too many codes for this phone or this address (rate-limited); "
                "see Retry-After",
                503: "Redis is out of reach (service-unavailable) or the SMS could not be "
                "queued (sms-unavailable); no code was kept",
            },
        ),
    )
    async def request_otp(
        self,
        data: OtpRequest,
        request: Request[Any, Any, Any],
        state: State,
        db: asyncpg.Connection,
    ) -> OtpSent:
        settings: Settings = state.settings
        await state.rate_limiter.hit(
            "otp-ip",
            client_address(request),
            limit=settings.otp_per_ip_limit,
            window_seconds=settings.otp_per_ip_window_seconds,
        )
        phone = parse_phone(data.phone)
        issued = await _auth(db, state).request_code(phone, client_address(request), state.redis)
        return OtpSent(
            expires_in=issued.expires_in,
            resend_after=issued.resend_after,
            dev_code=issued.code if settings.exposes_dev_codes else None,
        )

    @post(
        "/otp/verify",
        status_code=200,
        summary="Sign a citizen in with the SMS code (the account is created on first sign-in)",
        description="Five wrong tries void the code.",
        responses=problem_responses(
            400,
            422,
            notes={
                400: "Malformed JSON (bad-request), or the code is wrong (otp-invalid, with "
                "attempts_left), voided after five wrong tries (otp-locked) or expired, used "
                "or never requested (otp-expired)"
            },
        ),
    )
    async def verify_otp(self, data: OtpVerify, state: State, db: asyncpg.Connection) -> TokenPair:
        return await _auth(db, state).verify_code(parse_phone(data.phone), data.code)

    @post(
        "/login",
        status_code=200,
        summary="Staff sign-in with username and password",
        description="After 5 failed sign-ins in a row for one username from one address, that "
        "address waits before its next try for that username: 1 minute, then 2, 4, 8 and at most "
        "15 after each further failure. Other addresses are not held back. An address also has "
        "a budget of 30 sign-in requests in 15 minutes across all usernames.",
        responses=problem_responses(
            400,
            401,
            403,
            422,
            429,
            notes={
                401: "Wrong username or password (invalid-credentials); never says which",
                403: "The account is disabled (account-disabled)",
                429: "Too many failed sign-ins for this username from this address, or too many "
                "sign-in requests from this address (rate-limited); see Retry-After",
            },
        ),
    )
    async def staff_login(
        self,
        data: StaffLogin,
        request: Request[Any, Any, Any],
        state: State,
        db: asyncpg.Connection,
    ) -> TokenPair:
        address = client_address(request)
        await state.rate_limiter.hit(
            "login-ip",
            address,
            limit=STAFF_LOGIN_PER_IP_LIMIT,
            window_seconds=STAFF_LOGIN_PER_IP_WINDOW_SECONDS,
        )
        return await _auth(db, state).staff_login(
            data.username, data.password, address, state.redis
        )

    @post(
        "/refresh",
        status_code=200,
        summary="Exchange a refresh token for a new token pair (the old one is spent)",
        description="Presenting a spent refresh token revokes the whole session.",
        responses=problem_responses(
            400,
            401,
            422,
            notes={
                401: "Unknown, expired or revoked refresh token (refresh-token-invalid), or a "
                "spent one came back and the session is now revoked (refresh-token-reused)"
            },
        ),
    )
    async def refresh(
        self, data: RefreshRequest, state: State, db: asyncpg.Connection
    ) -> TokenPair:
        return await _auth(db, state).refresh(data.refresh_token)

    @post(
        "/logout",
        status_code=204,
        guards=[signed_in],
        security=_BEARER,
        summary="Sign out: the session's access and refresh tokens stop working at once",
        responses=problem_responses(401),
    )
    async def logout(self, actor: Actor, state: State, db: asyncpg.Connection) -> None:
        if actor.session_id is not None:
            await _auth(db, state).logout(actor.session_id)


class MeController(Controller):
    path = "/me"
    tags = ["Accounts"]
    security = _BEARER

    @get("/", guards=[signed_in], summary="Who is signed in", responses=problem_responses(401))
    async def me(self, actor: Actor, db: asyncpg.Connection) -> CitizenMe | StaffMe:
        return await AccountService(db).me(actor)

    @patch(
        "/",
        guards=[signed_in],
        summary="Change the signed-in account's own settings (the language it reads messages in)",
        description="Citizens and staff alike. Members left out keep their value.",
        responses=problem_responses(400, 401, 422),
    )
    async def update_me(
        self, data: MeUpdate, actor: Actor, db: asyncpg.Connection
    ) -> CitizenMe | StaffMe:
        return await AccountService(db).update(actor, data)

    @get(
        "/profile",
        guards=[citizen_only],
        summary="The citizen's profile",
        responses=problem_responses(401, 403),
    )
    async def get_profile(self, actor: Actor, state: State, db: asyncpg.Connection) -> ProfileRead:
        return await ProfileService(db, state.admin_units).read(actor.id)

    @put(
        "/profile",
        guards=[citizen_only],
        summary="Replace the citizen's profile (declared once, reused by every application)",
        description="Every invalid field is reported at once. The CCCD must agree with the "
        "date of birth and gender, and the commune must belong to the province. Once the "
        "identity is verified, the CCCD, name and date of birth cannot change "
        "(`identity_verified` at each). At most 10 valid changes per hour.",
        responses=problem_responses(
            400,
            401,
            403,
            422,
            429,
            notes={429: "More than 10 profile changes in an hour (rate-limited); see Retry-After"},
        ),
    )
    async def replace_profile(
        self, data: ProfileUpdate, actor: Actor, state: State, db: asyncpg.Connection
    ) -> ProfileRead:
        profiles = ProfileService(db, state.admin_units)
        return await profiles.replace(actor.id, data, state.rate_limiter)


class StaffController(Controller):
    path = "/staff"
    tags = ["Accounts"]
    security = _BEARER

    @get(
        "/me/unit",
        guards=[staff_only],
        summary="The staff member's unit and agency",
        responses=problem_responses(401, 403),
    )
    async def my_unit(self, actor: Actor, db: asyncpg.Connection) -> StaffUnitRead:
        return await AccountService(db).staff_unit(actor.id)


class OfficerCitizenController(Controller):
    path = "/officer/citizens"
    tags = ["Accounts"]
    security = _BEARER

    @get(
        "/",
        guards=[staff_only],
        summary="Counter intake: the one account holding both this CCCD and this phone",
        description="Both numbers are required and must match one account exactly; the answer "
        "is that account (name masked, whether its identity is verified) or 404, never a "
        "list. Each look-up, found or not, is written to the audit log (action "
        "citizen.lookup). At most 30 look-ups per staff member per hour.",
        responses=problem_responses(
            400,
            401,
            403,
            404,
            422,
            429,
            503,
            notes={
                400: "Malformed request",
                404: "No account holds both numbers (citizen-account-not-found)",
                422: "A number missing or malformed (validation-failed)",
                429: "This staff member's look-ups for the hour are used up (rate-limited); "
                "see Retry-After",
            },
        ),
    )
    async def find(
        self,
        actor: Actor,
        state: State,
        db: asyncpg.Connection,
        citizen_id_number: Annotated[str | None, Parameter(max_length=32)] = None,
        phone: Annotated[str | None, Parameter(max_length=32)] = None,
    ) -> CitizenAccountMatch:
        lookup = CitizenLookup(db, state.rate_limiter, state.settings)
        return await lookup.find(actor, citizen_id_number, phone)
