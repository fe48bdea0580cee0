"""Agency API keys: an agency admin creates (the key is shown once), lists and revokes them.

A key is ``mc_live_`` and 32 random bytes (URL-safe base64); only its SHA-256 is stored, and
``api.core.actors`` resolves a presented key through that hash. A revoked key fails on its
very next call: nothing caches it.
"""

from __future__ import annotations

import secrets
import uuid

import asyncpg

from api.agency.problems import ApiKeyNotFound
from api.agency.repository import AgencyRepository
from api.agency.schemas import ApiKeyCreated, ApiKeyRead
from api.applications.journal import write_audit
from api.core.actors import API_KEY_PREFIX, Actor
from api.core.tokens import hash_secret

# Shown in lists: the recognisable prefix and four characters of the secret.
SHOWN_PREFIX_LENGTH = len(API_KEY_PREFIX) + 4


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


class ApiKeyService:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn
        self._repo = AgencyRepository(conn)

    async def create(self, actor: Actor, name: str) -> ApiKeyCreated:
        assert actor.agency_code is not None  # the guard admits agency admins only
        key = new_api_key()
        async with self._conn.transaction():
            row = await self._repo.insert_key(
                actor.agency_code, name, key[:SHOWN_PREFIX_LENGTH], hash_secret(key), actor.id
            )
            await write_audit(self._conn, actor, "agency.api_key.create", note=str(row["id"]))
        return ApiKeyCreated(**dict(row), key=key)

    async def list(self, actor: Actor) -> list[ApiKeyRead]:
        assert actor.agency_code is not None
        return [ApiKeyRead(**dict(row)) for row in await self._repo.keys(actor.agency_code)]

    async def revoke(self, actor: Actor, key_id: uuid.UUID) -> None:
        assert actor.agency_code is not None
        async with self._conn.transaction():
            if not await self._repo.revoke_key(key_id, actor.agency_code):
                raise ApiKeyNotFound()
            await write_audit(self._conn, actor, "agency.api_key.revoke", note=str(key_id))
