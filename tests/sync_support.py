"""Shared pieces of the offline sync tests: seeded submitted applications, an applicant as typed
at the counter, photos to upload."""

from __future__ import annotations

import io
import random
import uuid
from typing import Any

import asyncpg
from PIL import Image

from tests.conftest import ServedApp
from tests.support import random_cccd
from tests.sync_client import SyncClient
from tests.test_applications import COMMUNE_PROCEDURE, COMPLETE_FORM


async def registered_device(
    served_app: ServedApp, auth: dict[str, str], seed: int = 1
) -> SyncClient:
    """A scripted officer's device, registered; ``seed`` makes its ids and jitter repeatable."""
    client = SyncClient(served_app.base_url, auth, rng=random.Random(seed))
    await client.register("Máy tính bảng xã")
    return client


# Communes of province 96 no other test files in: sync tests count what a unit holds.
PROVINCE = "96"


async def submitted_applications(
    db: asyncpg.Connection, citizen_id: uuid.UUID, unit_code: str, count: int
) -> list[uuid.UUID]:
    """Online applications already submitted to ``unit_code`` (version 1), written directly."""
    ids: list[uuid.UUID] = []
    for _ in range(count):
        ids.append(
            await db.fetchval(
                "INSERT INTO applications (procedure_code, unit_code, citizen_id, channel, status,"
                " applicant, form, submitted_at, created_by_kind, created_by_id, idempotency_key,"
                " request_fingerprint)"
                " VALUES ($1, $2, $3, 'online', 'submitted', '{\"full_name\": \"A\"}', $4, now(),"
                " 'citizen', $3, gen_random_uuid(), 'x') RETURNING id",
                COMMUNE_PROCEDURE,
                unit_code,
                citizen_id,
                COMPLETE_FORM,
            )
        )
    return ids


def applicant(province: str = "01", commune: str = "00004") -> dict[str, Any]:
    return {
        "full_name": "Lò Văn Páo",
        "date_of_birth": "1990-05-17",
        "gender": "male",
        "citizen_id_number": random_cccd(),
        "address": {"province_code": province, "commune_code": commune, "street": "Bản Nậm Cang"},
    }


def intake_form(province: str = "01", commune: str = "00004") -> dict[str, Any]:
    return {**COMPLETE_FORM, "birth_place": {"province_code": province, "commune_code": commune}}


def photo(rng: random.Random, side: int = 48) -> bytes:
    """A real JPEG of noise (so it does not compress to nothing and spans several chunks)."""
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()
