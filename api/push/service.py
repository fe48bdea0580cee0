"""Push subscriptions: checked (https endpoint, real P-256 key, 16-byte secret) and kept one
per browser."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import asyncpg
from cryptography.hazmat.primitives.asymmetric import ec

from api.clients.webpush import b64url_decode
from api.core.actors import Actor
from api.core.problems import FieldProblem, validation_failed
from api.push.repository import PushRepository
from api.push.schemas import SubscriptionCreate, SubscriptionList, SubscriptionRead
from api.settings import Settings

P256DH_BYTES = 65  # an uncompressed P-256 point: 0x04, x, y
AUTH_BYTES = 16


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def endpoint_problem(endpoint: str, settings: Settings) -> FieldProblem | None:
    """Push services are https; outside production a loopback http endpoint (a test push
    service) is allowed too."""
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
    except ValueError:
        return FieldProblem("endpoint", "invalid_endpoint", "push.fields.invalid-endpoint")
    if not host or parts.scheme not in ("https", "http"):
        return FieldProblem("endpoint", "invalid_endpoint", "push.fields.invalid-endpoint")
    if parts.scheme == "http" and (settings.is_production or not _is_loopback(host)):
        return FieldProblem("endpoint", "endpoint_not_https", "push.fields.endpoint-not-https")
    return None


def _decoded(text: str) -> bytes | None:
    try:
        return b64url_decode(text)
    except ValueError:
        return None


def key_problems(p256dh: str, auth: str) -> list[FieldProblem]:
    problems = []
    point = _decoded(p256dh)
    try:
        if point is None or len(point) != P256DH_BYTES:
            raise ValueError
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        problems.append(FieldProblem("keys.p256dh", "invalid_p256dh", "push.fields.invalid-p256dh"))
    secret = _decoded(auth)
    if secret is None or len(secret) != AUTH_BYTES:
        problems.append(FieldProblem("keys.auth", "invalid_auth", "push.fields.invalid-auth"))
    return problems


def _read(row: asyncpg.Record) -> SubscriptionRead:
    parts = urlsplit(row["endpoint"])
    return SubscriptionRead(
        id=row["id"],
        push_service=f"{parts.scheme}://{parts.netloc}",
        user_agent=row["user_agent"],
        created_at=row["created_at"],
        last_success_at=row["last_success_at"],
    )


class PushService:
    def __init__(self, conn: asyncpg.Connection, settings: Settings) -> None:
        self._repo = PushRepository(conn)
        self._settings = settings

    async def subscribe(
        self, actor: Actor, body: SubscriptionCreate, user_agent: str | None
    ) -> SubscriptionRead:
        problems = [
            problem
            for problem in (endpoint_problem(body.endpoint, self._settings),)
            if problem is not None
        ]
        problems += key_problems(body.keys.p256dh, body.keys.auth)
        if problems:
            raise validation_failed(problems)
        row = await self._repo.save(
            actor, body.endpoint, body.keys.p256dh, body.keys.auth, (user_agent or "")[:300] or None
        )
        return _read(row)

    async def unsubscribe(self, actor: Actor, endpoint: str) -> None:
        await self._repo.delete(actor, endpoint)

    async def devices(self, actor: Actor) -> SubscriptionList:
        return SubscriptionList(items=[_read(row) for row in await self._repo.of(actor)])
