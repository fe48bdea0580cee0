"""Citizen sign-in by SMS code, staff sign-in by password, session rotation and revocation,
role guards and the citizen profile — against the running server."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import asyncpg
import httpx
import pytest
from arq.jobs import Job
from litestar.testing import AsyncTestClient

from api.accounts.repository import languages_of
from api.app import create_app
from api.core.jobs import job_pool
from api.core.passwords import hash_password
from api.core.tokens import keyed_hash, otp_hash_key
from api.settings import Settings
from tests.conftest import free_port, problem
from tests.support import citizen, random_cccd, random_phone, staff

OTP = "/api/v1/auth/otp"
VERIFY = "/api/v1/auth/otp/verify"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
LOGIN = "/api/v1/auth/login"
ME = "/api/v1/me"
PROFILE = "/api/v1/me/profile"
STAFF_UNIT = "/api/v1/staff/me/unit"
PASSWORD = "Mật-khẩu-đủ-dài-2025"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def request_code(client: httpx.AsyncClient, phone: str) -> dict[str, Any]:
    response = await client.post(OTP, json={"phone": phone})
    assert response.status_code == 202, response.text
    body: dict[str, Any] = response.json()
    return body


async def sign_in(client: httpx.AsyncClient, phone: str) -> dict[str, Any]:
    code = (await request_code(client, phone))["dev_code"]
    response = await client.post(VERIFY, json={"phone": phone, "code": code})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# --- citizens: one-time codes --------------------------------------------------------------


async def test_sign_in_with_an_sms_code(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    phone = random_phone()
    sent = await request_code(client, phone)
    code = sent["dev_code"]
    assert sent["expires_in"] == 300
    assert "resend_after" not in sent
    assert len(code) == 6 and code.isdigit()

    challenge = await db.fetchrow(
        "SELECT id, code_hash, expires_at - created_at AS ttl FROM otp_challenges WHERE phone = $1",
        phone,
    )
    expected_hash = keyed_hash(otp_hash_key(settings.secret_key), f"{phone}:{code}")
    assert challenge["code_hash"] == expected_hash
    assert challenge["ttl"].total_seconds() == 300
    redis = job_pool(settings.redis_url)
    try:
        job = await Job(f"otp:{challenge['id']}", redis).info()
    finally:
        await redis.aclose()
    assert job is not None and job.function == "send_sms"
    assert job.kwargs == {
        "phone": phone,
        "text": f"Mã xác thực Một Cửa của bạn là {code}, hiệu lực 5 phút. Không chia sẻ mã này.",
        "message_id": str(challenge["id"]),
    }

    response = await client.post(VERIFY, json={"phone": phone, "code": code})
    assert response.status_code == 200, response.text
    tokens = response.json()
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == settings.access_token_ttl_seconds
    assert 0 < tokens["refresh_expires_in"] <= settings.refresh_token_ttl_seconds
    citizen_id = await db.fetchval("SELECT id FROM citizens WHERE phone = $1", phone)
    assert tokens["account"] == {
        "kind": "citizen",
        "id": str(citizen_id),
        "profile_complete": False,
    }
    me = await client.get(ME, headers=bearer(tokens["access_token"]))
    assert me.status_code == 200, me.text
    assert me.json() == {
        "kind": "citizen",
        "id": str(citizen_id),
        "phone": phone,
        "profile_complete": False,
        "identity_verified": False,
        "language": "vi",
    }
    # The code is spent.
    again = await client.post(VERIFY, json={"phone": phone, "code": code})
    problem(again, 400, "otp-expired")


async def test_every_way_of_writing_the_number_reaches_one_account(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    phone = random_phone()  # 09xxxxxxxx
    spaced = f"{phone[:4]} {phone[4:7]} {phone[7:]}"
    international = f"+84 {phone[1:4]}.{phone[4:7]}.{phone[7:]}"
    first = await sign_in(client, spaced)
    second = await sign_in(client, international)
    third = await sign_in(client, "84" + phone[1:])
    assert first["account"]["id"] == second["account"]["id"] == third["account"]["id"]
    assert await db.fetchval("SELECT count(*) FROM citizens WHERE phone = $1", phone) == 1


async def test_a_number_that_is_not_a_vietnamese_mobile_is_a_422_at_phone(
    client: httpx.AsyncClient,
) -> None:
    for raw in ("0243 826 1234", "+1 415 555 0100", "hello"):
        body = problem(await client.post(OTP, json={"phone": raw}), 422, "validation-failed")
        assert [e["path"] for e in body["errors"]] == ["phone"]
    body = problem(await client.post(VERIFY, json={"phone": "123", "code": "123456"}), 422)
    assert [e["path"] for e in body["errors"]] == ["phone"]
    body = problem(await client.post(VERIFY, json={"phone": random_phone(), "code": "12"}), 422)
    assert [e["path"] for e in body["errors"]] == ["code"]


async def test_a_new_code_voids_the_previous_one(client: httpx.AsyncClient) -> None:
    phone = random_phone()
    first = (await request_code(client, phone))["dev_code"]
    second = (await request_code(client, phone))["dev_code"]
    if first != second:
        stale = await client.post(VERIFY, json={"phone": phone, "code": first})
        problem(stale, 400, "otp-invalid")
    fresh = await client.post(VERIFY, json={"phone": phone, "code": second})
    assert fresh.status_code == 200, fresh.text


async def test_an_expired_code_is_refused(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    phone = random_phone()
    code = (await request_code(client, phone))["dev_code"]
    await db.execute(
        "UPDATE otp_challenges SET expires_at = now() - interval '1 second' WHERE phone = $1",
        phone,
    )
    problem(await client.post(VERIFY, json={"phone": phone, "code": code}), 400, "otp-expired")
    never_requested = {"phone": random_phone(), "code": "123456"}
    problem(await client.post(VERIFY, json=never_requested), 400, "otp-expired")


async def test_five_wrong_codes_lock_the_code(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    phone = random_phone()
    code = (await request_code(client, phone))["dev_code"]
    wrong = {"phone": phone, "code": other_code(code)}
    for attempts_left in (4, 3, 2, 1):
        body = problem(await client.post(VERIFY, json=wrong), 400, "otp-invalid")
        assert body["attempts_left"] == attempts_left
        assert body["detail"] == f"Mã xác thực không đúng. Bạn còn {attempts_left} lần thử."
    problem(await client.post(VERIFY, json=wrong), 400, "otp-locked")
    right = {"phone": phone, "code": code}
    problem(await client.post(VERIFY, json=right), 400, "otp-locked")
    row = await db.fetchrow(
        "SELECT attempts, voided_at, consumed_at FROM otp_challenges WHERE phone = $1", phone
    )
    assert row["attempts"] == 5 and row["voided_at"] is not None and row["consumed_at"] is None
    assert await db.fetchval("SELECT count(*) FROM citizens WHERE phone = $1", phone) == 0


async def test_two_parallel_verifications_cannot_both_succeed(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    phone = random_phone()
    code = (await request_code(client, phone))["dev_code"]
    responses = await asyncio.gather(
        *(client.post(VERIFY, json={"phone": phone, "code": code}) for _ in range(2))
    )
    assert sorted(r.status_code for r in responses) == [200, 400]
    sessions = await db.fetchval(
        "SELECT count(*) FROM auth_sessions s JOIN citizens c ON c.id = s.citizen_id"
        " WHERE c.phone = $1",
        phone,
    )
    assert sessions == 1


async def test_a_phone_gets_at_most_three_codes_per_window(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    phone = random_phone()
    await request_code(client, phone)
    await request_code(client, phone)
    third = await request_code(client, phone)
    assert 890 <= third["resend_after"] <= 900
    # Age the first code so the wait is predictable: it leaves the window in about 100 s.
    await db.execute(
        "UPDATE otp_challenges SET created_at = now() - interval '800 seconds'"
        " WHERE id = (SELECT id FROM otp_challenges WHERE phone = $1"
        " ORDER BY created_at LIMIT 1)",
        phone,
    )
    fourth = await client.post(OTP, json={"phone": phone})
    body = problem(fourth, 429, "rate-limited")
    assert 95 <= int(fourth.headers["Retry-After"]) <= 100
    assert body["retry_after"] == int(fourth.headers["Retry-After"])
    assert await db.fetchval("SELECT count(*) FROM otp_challenges WHERE phone = $1", phone) == 3
    # Once the window has passed, codes may be requested again.
    await db.execute(
        "UPDATE otp_challenges SET created_at = now() - interval '901 seconds' WHERE phone = $1",
        phone,
    )
    await request_code(client, phone)


async def test_one_address_gets_a_limited_number_of_codes(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    for _ in range(settings.otp_per_ip_limit):
        await request_code(client, random_phone())
    refused = await client.post(OTP, json={"phone": random_phone()})
    problem(refused, 429, "rate-limited")
    assert 0 < int(refused.headers["Retry-After"]) <= settings.otp_per_ip_window_seconds
    elsewhere = await client.post(
        OTP, json={"phone": random_phone()}, headers={"X-Forwarded-For": "203.0.113.77"}
    )
    assert elsewhere.status_code == 202, elsewhere.text


async def test_production_never_reveals_the_code(settings: Settings) -> None:
    production = settings.with_overrides(
        app_env="production",
        sms_gateway_url="http://127.0.0.1:9/sms",
        sms_gateway_token="unused-in-this-test",
        vapid_private_key="7x1Zb2T4qgT2q6m3f0yq9iR8H2Lk1kq6lqv0bUo3T1E",  # a test-only raw key
    )
    async with AsyncTestClient(create_app(production)) as http:
        response = await http.post(OTP, json={"phone": random_phone()})
    assert response.status_code == 202, response.text
    assert "dev_code" not in response.json()
    assert "dev_code" not in response.text


# --- sessions: refresh rotation and sign-out -----------------------------------------------


async def test_refresh_rotates_and_a_reused_token_revokes_the_session(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    first = await sign_in(client, random_phone())
    second_response = await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert second_response.status_code == 200, second_response.text
    second = second_response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["account"] == first["account"]
    assert (await client.get(ME, headers=bearer(second["access_token"]))).status_code == 200

    # The first refresh token comes back: someone kept a copy.
    reused = await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    problem(reused, 401, "refresh-token-reused")
    newest = await client.post(REFRESH, json={"refresh_token": second["refresh_token"]})
    problem(newest, 401, "refresh-token-invalid")
    problem(await client.get(ME, headers=bearer(second["access_token"])), 401, "unauthenticated")
    problem(await client.get(ME, headers=bearer(first["access_token"])), 401, "unauthenticated")
    reason = await db.fetchval(
        "SELECT revoked_reason FROM auth_sessions WHERE citizen_id = $1",
        uuid.UUID(first["account"]["id"]),
    )
    assert reason == "refresh_token_reuse"


async def test_parallel_refreshes_with_one_token_let_exactly_one_win(
    client: httpx.AsyncClient,
) -> None:
    tokens = await sign_in(client, random_phone())
    responses = await asyncio.gather(
        *(client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]}) for _ in range(2))
    )
    assert sorted(r.status_code for r in responses) == [200, 401]


async def test_unknown_or_expired_refresh_tokens_are_refused(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    problem(
        await client.post(REFRESH, json={"refresh_token": "nope"}), 401, "refresh-token-invalid"
    )
    tokens = await sign_in(client, random_phone())
    await db.execute(
        "UPDATE auth_sessions SET expires_at = now() - interval '1 second' WHERE citizen_id = $1",
        uuid.UUID(tokens["account"]["id"]),
    )
    expired = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
    problem(expired, 401, "refresh-token-invalid")


async def test_logout_ends_the_session_at_once(client: httpx.AsyncClient) -> None:
    tokens = await sign_in(client, random_phone())
    headers = bearer(tokens["access_token"])
    assert (await client.post(LOGOUT, headers=headers)).status_code == 204
    problem(await client.get(ME, headers=headers), 401, "unauthenticated")
    refresh = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
    problem(refresh, 401, "refresh-token-invalid")
    problem(await client.post(LOGOUT), 401, "unauthenticated")


# --- staff: password sign-in --------------------------------------------------------------


async def new_officer(db: asyncpg.Connection, *, unit_code: str = "00004") -> tuple[str, str]:
    username = "cb." + uuid.uuid4().hex[:10]
    staff_id = await db.fetchval(
        "INSERT INTO staff (username, password_hash, full_name, role, unit_code)"
        " VALUES ($1, $2, 'Trần Thị Hoa', 'officer', $3) RETURNING id",
        username,
        hash_password(PASSWORD),
        unit_code,
    )
    return username, str(staff_id)


async def test_staff_sign_in_and_who_am_i(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    username, staff_id = await new_officer(db)
    response = await client.post(
        LOGIN, json={"username": f" {username.upper()} ", "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    tokens = response.json()
    assert tokens["account"] == {
        "kind": "staff",
        "id": staff_id,
        "role": "officer",
        "unit_code": "00004",
        "agency_code": "UBX00004",
    }
    headers = bearer(tokens["access_token"])
    me = (await client.get(ME, headers=headers)).json()
    assert me == {
        "kind": "staff",
        "id": staff_id,
        "username": username,
        "full_name": "Trần Thị Hoa",
        "role": "officer",
        "unit": {
            "code": "00004",
            "name_vi": "Bộ phận Một cửa Phường Ba Đình",
            "name_en": me["unit"]["name_en"],
        },
        "agency_code": "UBX00004",
        "language": "vi",
    }
    unit = await client.get(STAFF_UNIT, headers=headers)
    assert unit.status_code == 200, unit.text
    assert unit.json()["unit"]["code"] == "00004"
    assert unit.json()["unit"]["level"] == "commune"
    assert unit.json()["agency"]["code"] == "UBX00004"
    assert unit.json()["agency"]["name_vi"] == "Ủy ban nhân dân Phường Ba Đình"
    refreshed = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.json()["account"] == tokens["account"]


async def test_wrong_password_and_unknown_user_look_the_same(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    username, _ = await new_officer(db)
    wrong = problem(
        await client.post(LOGIN, json={"username": username, "password": "sai-mat-khau"}),
        401,
        "invalid-credentials",
    )
    unknown = problem(
        await client.post(LOGIN, json={"username": "khong.ai.ca", "password": PASSWORD}),
        401,
        "invalid-credentials",
    )
    assert {k: v for k, v in wrong.items() if k != "request_id"} == {
        k: v for k, v in unknown.items() if k != "request_id"
    }


async def test_a_successful_sign_in_resets_the_failure_count(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    username, _ = await new_officer(db)
    wrong = {"username": username, "password": "sai-mat-khau"}
    for _ in range(3):
        problem(await client.post(LOGIN, json=wrong), 401, "invalid-credentials")
    assert (
        await client.post(LOGIN, json={"username": username, "password": PASSWORD})
    ).status_code == 200
    for _ in range(4):
        problem(await client.post(LOGIN, json=wrong), 401, "invalid-credentials")


async def test_an_inactive_account_cannot_sign_in(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    username, staff_id = await new_officer(db)
    await db.execute("UPDATE staff SET active = false WHERE id = $1", uuid.UUID(staff_id))
    right = {"username": username, "password": PASSWORD}
    problem(await client.post(LOGIN, json=right), 403, "account-disabled")
    wrong = {"username": username, "password": "sai-mat-khau"}
    problem(await client.post(LOGIN, json=wrong), 401, "invalid-credentials")


# --- the language an account reads messages in ---------------------------------------------


async def test_a_citizen_chooses_english_and_keeps_it_across_sign_ins(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    phone = random_phone()
    tokens = await sign_in(client, phone)
    headers = bearer(tokens["access_token"])
    assert (await client.get(ME, headers=headers)).json()["language"] == "vi"

    changed = await client.patch(ME, headers=headers, json={"language": "en"})
    assert changed.status_code == 200, changed.text
    me = (await client.get(ME, headers=headers)).json()
    assert changed.json() == me
    assert me["language"] == "en" and me["phone"] == phone
    # Nothing asked, nothing changed.
    unchanged = await client.patch(ME, headers=headers, json={})
    assert unchanged.status_code == 200, unchanged.text
    assert unchanged.json()["language"] == "en"

    # A new sign-in finds the preference, and the code itself arrives in English.
    code = (await request_code(client, phone))["dev_code"]
    challenge_id = await db.fetchval(
        "SELECT id FROM otp_challenges WHERE phone = $1 ORDER BY created_at DESC LIMIT 1", phone
    )
    redis = job_pool(settings.redis_url)
    try:
        job = await Job(f"otp:{challenge_id}", redis).info()
    finally:
        await redis.aclose()
    assert job is not None
    assert job.kwargs["text"] == (
        f"Your Một Cửa code is {code}, valid for 5 minutes. Do not share it."
    )
    again = await client.post(VERIFY, json={"phone": phone, "code": code})
    assert again.status_code == 200, again.text
    new_headers = bearer(again.json()["access_token"])
    assert (await client.get(ME, headers=new_headers)).json()["language"] == "en"


async def test_staff_choose_their_language_too(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    username, staff_id = await new_officer(db)
    login = {"username": username, "password": PASSWORD}
    headers = bearer((await client.post(LOGIN, json=login)).json()["access_token"])
    assert (await client.get(ME, headers=headers)).json()["language"] == "vi"
    changed = await client.patch(ME, headers=headers, json={"language": "en"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["kind"] == "staff" and changed.json()["id"] == staff_id
    assert changed.json()["language"] == "en"
    back = await client.patch(ME, headers=headers, json={"language": "vi"})
    assert back.json()["language"] == "vi"
    again = bearer((await client.post(LOGIN, json=login)).json()["access_token"])
    assert (await client.get(ME, headers=again)).json()["language"] == "vi"


async def test_only_known_languages_are_accepted(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings)
    for bad in ({"language": "fr"}, {"language": "EN"}, {"language": None}, {"language": 1}):
        body = problem(await client.patch(ME, headers=headers, json=bad), 422, "validation-failed")
        assert [e["path"] for e in body["errors"]] == ["language"], bad
    body = problem(await client.patch(ME, headers=headers, json={"lang": "en"}), 422)
    assert [(e["path"], e["code"]) for e in body["errors"]] == [("lang", "unknown_field")]
    assert (await client.get(ME, headers=headers)).json()["language"] == "vi"
    problem(await client.patch(ME, json={"language": "en"}), 401, "unauthenticated")


async def test_notifications_find_each_recipients_language(
    db: asyncpg.Connection, settings: Settings
) -> None:
    reader, _ = await citizen(db, settings)
    english, _ = await citizen(db, settings)
    officer, _ = await staff(db, settings)
    await db.execute("UPDATE citizens SET language = 'en' WHERE id = $1", english)
    nobody = uuid.uuid4()
    assert await languages_of(db, citizen_ids=[reader, english, nobody], staff_ids=[officer]) == {
        reader: "vi",
        english: "en",
        nobody: "vi",
        officer: "vi",
    }
    assert await languages_of(db) == {}
    with pytest.raises(asyncpg.CheckViolationError):
        await db.execute("UPDATE staff SET language = 'fr' WHERE id = $1", officer)


# --- role guards ---------------------------------------------------------------------------


async def test_staff_and_citizen_routes_admit_only_their_roles(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, citizen_headers = await citizen(db, settings)
    _, officer_headers = await staff(db, settings)
    problem(await client.get(STAFF_UNIT, headers=citizen_headers), 403, "forbidden")
    problem(await client.get(STAFF_UNIT), 401, "unauthenticated")
    problem(await client.get(PROFILE, headers=officer_headers), 403, "forbidden")
    put = await client.put(PROFILE, headers=officer_headers, json=good_profile(random_cccd()))
    problem(put, 403, "forbidden")
    problem(await client.get(ME, headers={"Authorization": "Bearer forged.token"}), 401)


# --- the citizen profile -------------------------------------------------------------------


def good_profile(cccd: str, **changes: Any) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "full_name": "  Nguyễn   Thị  Bình ",
        "date_of_birth": "1990-05-17",
        "gender": "female",
        "citizen_id_number": cccd,
        "address": {"province_code": "01", "commune_code": "00004", "street": "12 Phố Đội Cấn"},
        "email": "binh@example.vn",
    }
    profile.update(changes)
    return profile


def female_1990_cccd() -> str:
    return random_cccd(century_gender="1", yy="90")


async def test_a_profile_is_declared_once_and_read_back(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    citizen_id, headers = await citizen(db, settings, with_profile=False)
    empty = (await client.get(PROFILE, headers=headers)).json()
    assert empty["profile_complete"] is False
    assert empty["full_name"] is None and empty["address"] is None

    cccd = female_1990_cccd()
    saved = await client.put(PROFILE, headers=headers, json=good_profile(cccd))
    assert saved.status_code == 200, saved.text
    profile = saved.json()
    assert profile["id"] == str(citizen_id)
    assert profile["full_name"] == "Nguyễn Thị Bình"
    assert profile["citizen_id_number"] == cccd
    assert profile["date_of_birth"] == "1990-05-17"
    assert profile["address"] == {
        "province_code": "01",
        "province_name_vi": "Hà Nội",
        "province_name_en": profile["address"]["province_name_en"],
        "commune_code": "00004",
        "commune_name_vi": "Ba Đình",
        "commune_name_en": profile["address"]["commune_name_en"],
        "street": "12 Phố Đội Cấn",
    }
    assert profile["profile_complete"] is True
    assert (await client.get(PROFILE, headers=headers)).json() == profile
    assert (await client.get(ME, headers=headers)).json()["profile_complete"] is True

    # PUT replaces the whole profile: the omitted email is cleared; the own CCCD is no conflict.
    without_email = good_profile(cccd)
    del without_email["email"]
    replaced = await client.put(PROFILE, headers=headers, json=without_email)
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["email"] is None


async def test_every_invalid_field_is_reported_in_one_problem(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings, with_profile=False)
    elsewhere = await db.fetchval("SELECT code FROM communes WHERE province_code <> '01' LIMIT 1")
    bad = good_profile(
        "0010901234AB",
        full_name="Bình 2",
        date_of_birth="2999-01-01",
        address={"province_code": "01", "commune_code": elsewhere, "street": "  "},
        email="not-an-email",
    )
    body = problem(await client.put(PROFILE, headers=headers, json=bad), 422, "validation-failed")
    assert {(e["path"], e["code"]) for e in body["errors"]} == {
        ("full_name", "invalid_characters"),
        ("date_of_birth", "out_of_range"),
        ("citizen_id_number", "not_12_digits"),
        ("address.commune_code", "commune_not_in_province"),
        ("address.street", "length"),
        ("email", "invalid_email"),
    }
    assert all(e["message"] for e in body["errors"])

    unknown_province = good_profile(
        female_1990_cccd(),
        address={"province_code": "99", "commune_code": "00004", "street": "1 Hàng Bài"},
    )
    body = problem(await client.put(PROFILE, headers=headers, json=unknown_province), 422)
    assert [e["path"] for e in body["errors"]] == ["address.province_code"]
    too_early = good_profile(random_cccd(century_gender="1", yy="99"), date_of_birth="1899-12-31")
    body = problem(await client.put(PROFILE, headers=headers, json=too_early), 422)
    assert [e["path"] for e in body["errors"]] == ["date_of_birth"]
    wrong_type = good_profile(female_1990_cccd(), gender="other")
    body = problem(await client.put(PROFILE, headers=headers, json=wrong_type), 422)
    assert [e["path"] for e in body["errors"]] == ["gender"]
    # Nothing of the refused profiles was written.
    assert (await client.get(PROFILE, headers=headers)).json()["full_name"] is None


async def test_names_of_every_people_and_only_printable_text_are_accepted(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings, with_profile=False)
    for name in ("H'Hen Niê", "Y Ngông Niê Kdăm", "K’Nớ", "Lê-Thị Hà"):
        cccd = female_1990_cccd()
        saved = await client.put(PROFILE, headers=headers, json=good_profile(cccd, full_name=name))
        assert saved.status_code == 200, saved.text
        assert saved.json()["full_name"] == name
    for name in ("'Bình", "-Bình", "Bình\x00"):
        body = problem(
            await client.put(
                PROFILE, headers=headers, json=good_profile(female_1990_cccd(), full_name=name)
            ),
            422,
        )
        assert [(e["path"], e["code"]) for e in body["errors"]] == [
            ("full_name", "invalid_characters")
        ]
    # NUL cannot be stored: refused with the field's path instead of failing with a 500.
    address = {"province_code": "01", "commune_code": "00004", "street": "12\x00 Đội Cấn"}
    bad = good_profile(female_1990_cccd(), address=address, email="a\x00b@example.vn")
    body = problem(await client.put(PROFILE, headers=headers, json=bad), 422)
    assert [(e["path"], e["code"]) for e in body["errors"]] == [
        ("address.street", "invalid_characters"),
        ("email", "invalid_email"),
    ]
    missing_commune = good_profile(
        female_1990_cccd(), address={"province_code": "01", "street": "1 Hàng Bài"}
    )
    body = problem(await client.put(PROFILE, headers=headers, json=missing_commune), 422)
    assert [(e["path"], e["code"]) for e in body["errors"]] == [
        ("address.commune_code", "required")
    ]


async def test_the_cccd_must_agree_with_birth_and_gender(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings, with_profile=False)

    async def cccd_errors(cccd: str, **changes: Any) -> list[str]:
        response = await client.put(PROFILE, headers=headers, json=good_profile(cccd, **changes))
        body = problem(response, 422, "validation-failed")
        assert {e["path"] for e in body["errors"]} == {"citizen_id_number"}
        return [e["code"] for e in body["errors"]]

    # A man's 4th digit (0) for a woman born 1990.
    male = random_cccd(century_gender="0", yy="90")
    assert await cccd_errors(male) == ["gender_century_mismatch"]
    # Born in 2005 needs 2 (male) or 3 (female), not 1 (a woman born in the 1900s).
    last_century = random_cccd(century_gender="1", yy="05")
    assert await cccd_errors(last_century, date_of_birth="2005-03-01") == [
        "gender_century_mismatch"
    ]
    # Digits 5–6 say 1991.
    assert await cccd_errors(random_cccd(century_gender="1", yy="91")) == ["birth_year_mismatch"]
    # Structure: no province has birth code 003; the 4th digit only goes up to 3 today.
    assert await cccd_errors(random_cccd(province="003", century_gender="1")) == [
        "unknown_province"
    ]
    assert await cccd_errors(random_cccd(century_gender="5")) == ["invalid_century_gender_digit"]
    born_2005 = random_cccd(century_gender="3", yy="05")
    ok = await client.put(
        PROFILE, headers=headers, json=good_profile(born_2005, date_of_birth="2005-03-01")
    )
    assert ok.status_code == 200, ok.text


async def test_otp_request_without_redis_is_a_503_and_keeps_no_code(
    settings: Settings, db: asyncpg.Connection, client: httpx.AsyncClient
) -> None:
    broken = settings.with_overrides(redis_url=f"redis://127.0.0.1:{free_port()}/0")
    phone = random_phone()
    async with AsyncTestClient(create_app(broken)) as broken_client:
        response = await broken_client.post("/api/v1/auth/otp", json={"phone": phone})
    problem(response, 503, "service-unavailable")
    assert response.headers["retry-after"] == "30"
    assert await db.fetchval("SELECT count(*) FROM otp_challenges WHERE phone = $1", phone) == 0

    # A failed request changes nothing: the code sent before it still works.
    earlier = (await request_code(client, phone))["dev_code"]
    async with AsyncTestClient(create_app(broken)) as broken_client:
        await broken_client.post("/api/v1/auth/otp", json={"phone": phone})
    assert await db.fetchval("SELECT count(*) FROM otp_challenges WHERE phone = $1", phone) == 1
    verified = await client.post(VERIFY, json={"phone": phone, "code": earlier})
    assert verified.status_code == 200, verified.text
