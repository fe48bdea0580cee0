"""Access tokens are standard JWTs: HS256 with a ``kid`` naming the key, ``iss``/``aud``/
``iat``/``exp``/``sub`` plus the session id and subject kind. A secret can be rotated (the old
one listed in ACCESS_TOKEN_PREVIOUS_KEYS) without signing anyone out; anything forged, stale or
meant for someone else is a 401 problem. A verified token is remembered by the process, yet
still expires on time and stops at once with its session."""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

import asyncpg
import httpx
import jwt
import pytest
from litestar.testing import AsyncTestClient

from api.app import create_app
from api.core.tokens import (
    AUDIENCE,
    ISSUER,
    TokenSigner,
    access_token_key,
    key_id,
    keyed_hash,
    otp_hash_key,
)
from api.settings import Settings
from tests.conftest import problem
from tests.support import citizen

ME = "/api/v1/me"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


async def _session_of(db: asyncpg.Connection, headers: dict[str, str]) -> tuple[Any, Any]:
    claims = jwt.decode(headers["Authorization"].split()[1], options={"verify_signature": False})
    return uuid.UUID(claims["sid"]), uuid.UUID(claims["sub"])


def _claims(session_id: uuid.UUID, subject_id: uuid.UUID, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(subject_id),
        "sid": str(session_id),
        "knd": "citizen",
        "iat": now,
        "exp": now + 600,
    }
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not None}


def _signed(settings: Settings, claims: dict[str, Any], **headers: Any) -> str:
    key = access_token_key(settings.secret_key)
    return jwt.encode(claims, key, algorithm="HS256", headers={"kid": key_id(key), **headers})


def test_a_token_is_a_jwt_with_the_standard_claims_and_a_kid() -> None:
    signer = TokenSigner("s" * 40)
    session_id, subject_id = uuid.uuid4(), uuid.uuid4()
    token, expires = signer.issue(session_id, subject_id, "staff", 900)

    header = jwt.get_unverified_header(token)
    assert header == {"alg": "HS256", "typ": "JWT", "kid": signer.key_id}
    assert len(signer.key_id) == 8 and int(signer.key_id, 16) >= 0
    claims = jwt.decode(token, access_token_key("s" * 40), algorithms=["HS256"], audience=AUDIENCE)
    assert claims == {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(subject_id),
        "sid": str(session_id),
        "knd": "staff",
        "iat": expires - 900,
        "exp": expires,
    }
    verified = signer.verify(token)
    assert verified is not None
    assert (verified.sid, verified.sub, verified.knd, verified.exp) == (
        session_id,
        subject_id,
        "staff",
        expires,
    )


def test_keys_are_derived_per_purpose_and_never_the_secret_itself() -> None:
    secret = "k" * 40
    assert access_token_key(secret) != otp_hash_key(secret)
    assert secret.encode() not in (access_token_key(secret), otp_hash_key(secret))
    assert keyed_hash(otp_hash_key(secret), "0912345678:123456") != keyed_hash(
        secret.encode(), "0912345678:123456"
    )


def test_a_token_signed_with_the_previous_key_verifies_after_rotation() -> None:
    old, new = "old-secret-" + "o" * 32, "new-secret-" + "n" * 32
    token, _ = TokenSigner(old).issue(uuid.uuid4(), uuid.uuid4(), "citizen", 600)
    assert TokenSigner(new, [old]).verify(token) is not None
    assert TokenSigner(new).verify(token) is None  # once the old secret is dropped
    # New tokens are signed with the new key.
    fresh, _ = TokenSigner(new, [old]).issue(uuid.uuid4(), uuid.uuid4(), "citizen", 600)
    assert jwt.get_unverified_header(fresh)["kid"] == TokenSigner(new).key_id
    assert TokenSigner(old).verify(fresh) is None


async def test_rotating_the_secret_keeps_signed_in_people_signed_in(
    db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings)  # signed with settings.secret_key
    rotated = settings.with_overrides(
        secret_key="rotated-secret-" + uuid.uuid4().hex,
        access_token_previous_keys=(settings.secret_key,),
    )
    async with AsyncTestClient(create_app(rotated)) as client:
        assert (await client.get(ME, headers=headers)).status_code == 200
    forgotten = rotated.with_overrides(access_token_previous_keys=())
    async with AsyncTestClient(create_app(forgotten)) as client:
        problem(await client.get(ME, headers=headers), 401, "unauthenticated")


async def test_a_genuine_token_is_accepted(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings)
    session_id, subject_id = await _session_of(db, headers)
    token = _signed(settings, _claims(session_id, subject_id))
    assert (await client.get(ME, headers=_bearer(token))).status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        {"aud": "someone-else"},
        {"iss": "someone-else"},
        {"exp": int(time.time()) - 5},
        {"aud": None},
        {"iss": None},
        {"exp": None},
        {"iat": None},
        {"sid": None},
        {"knd": "robot"},
        {"sid": "not-a-uuid"},
    ],
    ids=lambda change: ",".join(f"{k}={v}" for k, v in change.items()),
)
async def test_wrong_or_missing_claims_are_refused(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings, change: dict[str, Any]
) -> None:
    _, headers = await citizen(db, settings)
    session_id, subject_id = await _session_of(db, headers)
    token = _signed(settings, _claims(session_id, subject_id, **change))
    problem(await client.get(ME, headers=_bearer(token)), 401, "unauthenticated")


# The HS512 forgery uses a 32-byte key on purpose.
@pytest.mark.filterwarnings("ignore:The HMAC key is 32 bytes long")
async def test_forged_tokens_are_refused(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings)
    session_id, subject_id = await _session_of(db, headers)
    claims = _claims(session_id, subject_id)
    genuine = _signed(settings, claims)
    head, body, signature = genuine.split(".")

    unknown_kid = _signed(settings, claims, kid="00000000")
    no_kid = jwt.encode(claims, access_token_key(settings.secret_key), algorithm="HS256")
    other_key = jwt.encode(
        claims,
        access_token_key("another-secret-" + "x" * 32),
        algorithm="HS256",
        headers={"kid": key_id(access_token_key(settings.secret_key))},
    )
    kid = key_id(access_token_key(settings.secret_key))
    alg_none = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": kid}).encode()) + f".{body}."
    other_alg = jwt.encode(
        claims,
        access_token_key(settings.secret_key),
        algorithm="HS512",
        headers={"kid": kid},
    )
    tampered_claims = _b64(json.dumps({**claims, "sub": str(uuid.uuid4())}).encode())
    tampered = f"{head}.{tampered_claims}.{signature}"
    flipped = f"{head}.{body}.{signature[:-2]}{'A' if signature[-2] != 'A' else 'B'}{signature[-1]}"

    for token in (
        unknown_kid,
        no_kid,
        other_key,
        alg_none,
        other_alg,
        tampered,
        flipped,
        "not-a-token",
        f"{head}.{body}",
    ):
        problem(await client.get(ME, headers=_bearer(token)), 401, "unauthenticated")
    assert (await client.get(ME, headers=_bearer(genuine))).status_code == 200


async def test_a_revoked_session_stops_a_valid_token_at_once(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings)
    session_id, _ = await _session_of(db, headers)
    # Used twice, so the API process remembers the verified token: only its session is read.
    for _ in range(2):
        assert (await client.get(ME, headers=headers)).status_code == 200
    await db.execute("UPDATE auth_sessions SET revoked_at = now() WHERE id = $1", session_id)
    problem(await client.get(ME, headers=headers), 401, "unauthenticated")


def test_a_remembered_token_still_expires_on_time(monkeypatch: pytest.MonkeyPatch) -> None:
    signer = TokenSigner("s" * 40, remembered_tokens=2)
    token, expires = signer.issue(uuid.uuid4(), uuid.uuid4(), "citizen", 60)
    first = signer.verify(token)
    assert first is not None and signer.verify(token) == first
    # A remembered token is only checked against the clock: at its ``exp`` it is refused.
    monkeypatch.setattr(time, "time", lambda: float(expires))
    assert signer.verify(token) is None


def test_remembered_tokens_stay_bounded_and_each_keeps_its_own_claims() -> None:
    signer = TokenSigner("s" * 40, remembered_tokens=2)
    issued = [signer.issue(uuid.uuid4(), uuid.uuid4(), "citizen", 60) for _ in range(5)]
    for _ in range(2):
        for token, expires in issued:
            claims = signer.verify(token)
            assert claims is not None and claims.exp == expires
    assert len({signer.verify(token) for token, _ in issued}) == 5
    # One changed character is another token, verified (and refused) on its own.
    token = issued[0][0]
    assert signer.verify(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]) is None
