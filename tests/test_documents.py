"""Document uploads: a presigned POST form from the phone to (moto) S3, then server-side
verification."""

from __future__ import annotations

import asyncio
import functools
import gc
import hashlib
import io
import struct
import time
import uuid
import zipfile
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import asyncpg
import httpx
import pytest
from PIL import ExifTags, Image

from api.core.storage import ObjectStorage
from api.settings import Settings
from tests.conftest import problem
from tests.support import citizen, staff, sweep

MB = 1024 * 1024
UNIT = "00004"
OTHER_UNIT = "00008"
FALLBACK_PROCEDURE = "TEST.DOCUMENTS"

# ----- files --------------------------------------------------------------------------------


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 40, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone Maker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (21.0, 1.0, 42.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (105.0, 50.0, 6.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def pdf() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (255, 255, 255)).save(buffer, "PDF")
    return buffer.getvalue()


def plain_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 0, 0)).save(buffer, "JPEG")
    return buffer.getvalue()


def jpeg_with_zip() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("payload.html", "<script>alert(1)</script>")
    return plain_jpeg() + archive.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ----- fixtures -----------------------------------------------------------------------------


@pytest.fixture
async def procedure(db: asyncpg.Connection) -> tuple[str, str]:
    """(procedure code, one of its required document codes): a seeded procedure if there is
    one, else a minimal procedure of our own."""
    row = await db.fetchrow(
        "SELECT code, required_documents -> 0 ->> 'code' AS requirement FROM procedures"
        " WHERE jsonb_array_length(required_documents) > 0 ORDER BY code LIMIT 1"
    )
    if row is not None:
        return row["code"], row["requirement"]
    await db.execute(
        """
        INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi,
            summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi,
            deciding_agency_en, service_level, fee_vnd, processing_days, legal_basis,
            required_documents, form_fields)
        VALUES ($1, 'Thủ tục thử nghiệm giấy tờ', 'Document test procedure', 'Thử nghiệm',
            'Testing', 'Dùng cho kiểm thử', 'For tests', 'Căn cước', 'Citizen ID card',
            'commune', 'Ủy ban nhân dân cấp xã', 'Commune People''s Committee', 'full_online',
            0, 3, '[]', $2, '[]')
        ON CONFLICT (code) DO NOTHING
        """,
        FALLBACK_PROCEDURE,
        [
            {
                "code": "cccd",
                "name_vi": "Căn cước",
                "name_en": "Citizen ID card",
                "required": True,
                "photo_accepted": True,
            }
        ],
    )
    return FALLBACK_PROCEDURE, "cccd"


async def new_application(
    db: asyncpg.Connection,
    procedure_code: str,
    citizen_id: uuid.UUID,
    *,
    status: str = "draft",
    channel: str = "online",
) -> uuid.UUID:
    application_id: uuid.UUID = await db.fetchval(
        """
        INSERT INTO applications (procedure_code, unit_code, citizen_id, channel, status,
            applicant, created_by_kind, created_by_id, idempotency_key, request_fingerprint)
        VALUES ($1, $2, $3, $4, $5, '{}', 'citizen', $3, $6, $7)
        RETURNING id
        """,
        procedure_code,
        UNIT,
        citizen_id,
        channel,
        status,
        uuid.uuid4(),
        uuid.uuid4().hex,
    )
    return application_id


class Filing:
    """A signed-in citizen with a draft application."""

    def __init__(
        self, citizen_id: uuid.UUID, headers: dict[str, str], application_id: uuid.UUID, req: str
    ) -> None:
        self.citizen_id = citizen_id
        self.headers = headers
        self.application_id = application_id
        self.requirement = req

    @property
    def documents_path(self) -> str:
        return f"/api/v1/applications/{self.application_id}/documents"


@pytest.fixture
async def filing(db: asyncpg.Connection, settings: Settings, procedure: tuple[str, str]) -> Filing:
    citizen_id, headers = await citizen(db, settings)
    application_id = await new_application(db, procedure[0], citizen_id)
    return Filing(citizen_id, headers, application_id, procedure[1])


@pytest.fixture
def storage(settings: Settings) -> ObjectStorage:
    return ObjectStorage(settings)


# ----- helpers ------------------------------------------------------------------------------


async def start(
    client: httpx.AsyncClient,
    filing: Filing,
    data: bytes,
    content_type: str,
    *,
    headers: dict[str, str] | None = None,
    requirement: str | None = None,
    size: int | None = None,
    digest: str | None = None,
) -> httpx.Response:
    return await client.post(
        filing.documents_path,
        headers=headers or filing.headers,
        json={
            "requirement": requirement or filing.requirement,
            "content_type": content_type,
            "size": len(data) if size is None else size,
            "sha256": digest or sha256(data),
        },
    )


async def post_form(ticket: dict[str, Any], data: bytes) -> None:
    """Send the file the way a phone does: the ticket's form fields, then the file."""
    assert ticket["method"] == "POST"
    async with httpx.AsyncClient(timeout=60) as phone:
        response = await phone.post(
            ticket["upload_url"],
            data=ticket["fields"],
            files={"file": ("photo", data, ticket["fields"]["Content-Type"])},
        )
    assert response.status_code in (200, 201, 204), response.text


async def complete(
    client: httpx.AsyncClient, filing: Filing, document_id: str, headers: dict[str, str] | None
) -> httpx.Response:
    return await client.post(
        f"{filing.documents_path}/{document_id}/complete", headers=headers or filing.headers
    )


async def upload(
    client: httpx.AsyncClient,
    filing: Filing,
    data: bytes,
    content_type: str,
    *,
    headers: dict[str, str] | None = None,
    requirement: str | None = None,
    uploaded: bytes | None = None,
) -> tuple[str, httpx.Response]:
    """Declare ``data``, post ``uploaded`` (default: the same bytes), complete."""
    created = await start(
        client, filing, data, content_type, headers=headers, requirement=requirement
    )
    assert created.status_code == 201, created.text
    ticket = created.json()
    await post_form(ticket, data if uploaded is None else uploaded)
    return ticket["document_id"], await complete(client, filing, ticket["document_id"], headers)


async def nothing_stored(storage: ObjectStorage, filing: Filing, document_id: str) -> bool:
    keys = [
        f"uploads/{filing.application_id}/{document_id}",
        f"applications/{filing.application_id}/{document_id}",
    ]
    return all([await storage.stat(key) is None for key in keys])


async def application_keys(storage: ObjectStorage, filing: Filing) -> list[str]:
    """Every object of the filing's application, staging and final."""
    keys: list[str] = []
    for prefix in ("uploads", "applications"):
        keys += await storage.list_keys(
            f"{prefix}/{filing.application_id}/", start_after=None, limit=1000
        )
    return keys


async def document_status(db: asyncpg.Connection, document_id: str) -> str:
    status: str = await db.fetchval(
        "SELECT status FROM application_documents WHERE id = $1", uuid.UUID(document_id)
    )
    return status


def url_query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def assert_expiry(url: str, expires_at: str, max_seconds: int) -> None:
    query = url_query(url)
    ttl = int(query["X-Amz-Expires"])
    assert 0 < ttl <= max_seconds
    signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    difference = datetime.fromisoformat(expires_at) - (signed_at + timedelta(seconds=ttl))
    assert abs(difference.total_seconds()) < 2


# ----- tests --------------------------------------------------------------------------------


async def test_jpeg_is_stored_without_exif_or_gps(
    client: httpx.AsyncClient, db: asyncpg.Connection, filing: Filing, storage: ObjectStorage
) -> None:
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    created = await start(client, filing, original, "image/jpeg")
    assert created.status_code == 201, created.text
    ticket = created.json()
    assert ticket["fields"]["Content-Type"] == "image/jpeg"
    await post_form(ticket, original)

    completed = await complete(client, filing, ticket["document_id"], None)
    assert completed.status_code == 200, completed.text
    stored = completed.json()
    assert stored["status"] == "stored"
    assert stored["content_type"] == "image/jpeg"
    assert stored["requirement"] == filing.requirement
    assert stored["kind"] == "input"

    # Completing again is harmless and answers the same.
    again = await complete(client, filing, ticket["document_id"], None)
    assert again.status_code == 200, again.text
    assert again.json() == stored

    row = await db.fetchrow(
        "SELECT status, size, sha256, completed_at, object_key FROM application_documents"
        " WHERE id = $1",
        uuid.UUID(ticket["document_id"]),
    )
    assert row["status"] == "stored" and row["completed_at"] is not None
    assert row["object_key"] == f"applications/{filing.application_id}/{ticket['document_id']}"
    # The staging object the phone wrote is gone once the verified copy is stored.
    assert await storage.stat(f"uploads/{filing.application_id}/{ticket['document_id']}") is None

    download = await client.get(
        f"{filing.documents_path}/{ticket['document_id']}", headers=filing.headers
    )
    assert download.status_code == 200, download.text
    body = download.json()
    assert body["content_type"] == "image/jpeg" and body["size"] == row["size"]
    assert_expiry(body["download_url"], body["expires_at"], 300)
    async with httpx.AsyncClient() as phone:
        fetched = await phone.get(body["download_url"])
    assert fetched.status_code == 200
    assert sha256(fetched.content) == row["sha256"] != sha256(original)
    image = Image.open(io.BytesIO(fetched.content))
    assert image.format == "JPEG" and image.size == (64, 48)
    assert "exif" not in image.info
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert ExifTags.Base.Make not in image.getexif()

    audit = await db.fetchval(
        "SELECT count(*) FROM audit_log WHERE application_id = $1 AND action = 'document.uploaded'",
        filing.application_id,
    )
    assert audit == 1

    listing = await client.get(filing.documents_path, headers=filing.headers)
    assert listing.status_code == 200, listing.text
    assert [item["document_id"] for item in listing.json()["items"]] == [ticket["document_id"]]


@pytest.mark.parametrize(("maker", "content_type"), [(png, "image/png"), (pdf, "application/pdf")])
async def test_png_and_pdf_are_accepted(
    client: httpx.AsyncClient, filing: Filing, maker: Any, content_type: str
) -> None:
    _, completed = await upload(client, filing, maker(), content_type)
    assert completed.status_code == 200, completed.text
    assert completed.json()["content_type"] == content_type


async def test_text_renamed_as_jpeg_is_rejected_and_deleted(
    client: httpx.AsyncClient, db: asyncpg.Connection, filing: Filing, storage: ObjectStorage
) -> None:
    document_id, completed = await upload(
        client, filing, b"just some notes, not a photo\n" * 10, "image/jpeg"
    )
    body = problem(completed, 422, "document-rejected")
    assert body["reason"] == "unsupported_type"
    assert body["document_id"] == document_id
    assert (
        body["detail"] == "Chỉ nhận ảnh JPEG, PNG, WebP, HEIC hoặc tệp PDF. Vui lòng tải lên lại."
    )
    assert await nothing_stored(storage, filing, document_id)
    assert await document_status(db, document_id) == "rejected"
    # A refused upload cannot be completed into a stored one afterwards.
    problem(await complete(client, filing, document_id, None), 409, "upload-not-pending")


async def test_polyglot_is_rejected_and_deleted(
    client: httpx.AsyncClient, db: asyncpg.Connection, filing: Filing, storage: ObjectStorage
) -> None:
    document_id, completed = await upload(client, filing, jpeg_with_zip(), "image/jpeg")
    assert problem(completed, 422, "document-rejected")["reason"] == "polyglot"
    assert await nothing_stored(storage, filing, document_id)
    assert await document_status(db, document_id) == "rejected"


async def test_declared_size_over_the_limit_is_refused_up_front(
    client: httpx.AsyncClient, filing: Filing, settings: Settings
) -> None:
    response = await start(
        client, filing, b"", "image/jpeg", size=20 * 1024 * 1024, digest="0" * 64
    )
    body = problem(response, 422, "validation-failed")
    assert [error["path"] for error in body["errors"]] == ["size"]

    response = await start(client, filing, b"", "image/gif", size=10, digest="A" * 64)
    body = problem(response, 422, "validation-failed")
    assert {error["path"] for error in body["errors"]} <= {"content_type", "sha256"}


async def test_upload_larger_than_declared_is_rejected_and_deleted(
    client: httpx.AsyncClient, db: asyncpg.Connection, filing: Filing, storage: ObjectStorage
) -> None:
    declared = plain_jpeg()
    huge = declared + bytes(20 * 1024 * 1024)
    document_id, completed = await upload(client, filing, declared, "image/jpeg", uploaded=huge)
    body = problem(completed, 422, "document-rejected")
    assert body["reason"] == "too_large"
    assert await nothing_stored(storage, filing, document_id)
    assert await document_status(db, document_id) == "rejected"


async def test_checksum_mismatch_is_rejected(
    client: httpx.AsyncClient, filing: Filing, storage: ObjectStorage
) -> None:
    declared = png()
    tampered = bytearray(declared)
    tampered[-20] ^= 0xFF
    document_id, completed = await upload(
        client, filing, declared, "image/png", uploaded=bytes(tampered)
    )
    assert problem(completed, 422, "document-rejected")["reason"] == "checksum_mismatch"
    assert await nothing_stored(storage, filing, document_id)


async def test_missing_upload_then_expiry(
    client: httpx.AsyncClient, db: asyncpg.Connection, filing: Filing, storage: ObjectStorage
) -> None:
    data = png()
    created = await start(client, filing, data, "image/png")
    ticket = created.json()

    # Completing before the upload: nothing changes, the phone may still upload.
    problem(await complete(client, filing, ticket["document_id"], None), 422, "upload-missing")
    assert await document_status(db, ticket["document_id"]) == "pending"

    await post_form(ticket, data)
    await db.execute(
        "UPDATE application_documents SET upload_expires_at = now() - interval '1 minute'"
        " WHERE id = $1",
        uuid.UUID(ticket["document_id"]),
    )
    problem(await complete(client, filing, ticket["document_id"], None), 410, "upload-expired")
    assert await nothing_stored(storage, filing, ticket["document_id"])
    assert await document_status(db, ticket["document_id"]) == "rejected"


async def test_other_citizens_cannot_reach_documents(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings, filing: Filing
) -> None:
    data = png()
    created = await start(client, filing, data, "image/png")
    ticket = created.json()
    await post_form(ticket, data)
    _, stranger = await citizen(db, settings)

    problem(await start(client, filing, data, "image/png", headers=stranger), 404, "not-found")
    problem(await complete(client, filing, ticket["document_id"], stranger), 404, "not-found")
    assert await document_status(db, ticket["document_id"]) == "pending"
    assert (await complete(client, filing, ticket["document_id"], None)).status_code == 200
    problem(await client.get(filing.documents_path, headers=stranger), 404, "not-found")
    problem(
        await client.get(f"{filing.documents_path}/{ticket['document_id']}", headers=stranger),
        404,
        "not-found",
    )
    problem(await client.get(filing.documents_path), 401, "unauthenticated")


async def test_officer_downloads_are_scoped_and_audited(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings, filing: Filing
) -> None:
    document_id, completed = await upload(client, filing, pdf(), "application/pdf")
    assert completed.status_code == 200, completed.text
    path = f"{filing.documents_path}/{document_id}"

    _, elsewhere = await staff(db, settings, unit_code=OTHER_UNIT)
    problem(await client.get(path, headers=elsewhere), 404, "not-found")
    problem(await client.get(filing.documents_path, headers=elsewhere), 404, "not-found")

    officer_id, officer = await staff(db, settings, unit_code=UNIT)
    # An online draft is the citizen's own until submitted: even the right unit cannot see it,
    # nor add papers to it.
    problem(await client.get(path, headers=officer), 404, "not-found")
    problem(await start(client, filing, png(), "image/png", headers=officer), 404, "not-found")
    await db.execute(
        "UPDATE applications SET status = 'submitted' WHERE id = $1", filing.application_id
    )
    response = await client.get(path, headers=officer)
    assert response.status_code == 200, response.text
    async with httpx.AsyncClient() as browser:
        fetched = await browser.get(response.json()["download_url"])
    assert fetched.status_code == 200 and fetched.content.startswith(b"%PDF")
    reads = await db.fetch(
        "SELECT actor_kind, unit_code, note FROM audit_log"
        " WHERE application_id = $1 AND action = 'document.read' AND actor_id = $2",
        filing.application_id,
        officer_id,
    )
    assert len(reads) == 1
    assert reads[0]["actor_kind"] == "staff" and reads[0]["unit_code"] == UNIT
    assert document_id in reads[0]["note"]


async def test_not_stored_document_cannot_be_downloaded(
    client: httpx.AsyncClient, filing: Filing
) -> None:
    created = await start(client, filing, png(), "image/png")
    path = f"{filing.documents_path}/{created.json()['document_id']}"
    problem(await client.get(path, headers=filing.headers), 409, "document-not-stored")
    problem(await client.get(f"{filing.documents_path}/{uuid.uuid4()}"), 401)
    problem(
        await client.get(f"{filing.documents_path}/{uuid.uuid4()}", headers=filing.headers),
        404,
        "not-found",
    )


async def test_unknown_requirement_and_locked_status(
    client: httpx.AsyncClient, db: asyncpg.Connection, filing: Filing
) -> None:
    response = await start(client, filing, png(), "image/png", requirement="not-a-paper")
    body = problem(response, 422, "validation-failed")
    assert [error["path"] for error in body["errors"]] == ["requirement"]

    await db.execute(
        "UPDATE applications SET status = 'submitted' WHERE id = $1", filing.application_id
    )
    problem(await start(client, filing, png(), "image/png"), 409, "documents-locked")


async def test_result_upload_by_officer_on_approved_application(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings, filing: Filing
) -> None:
    # Before approval the officer cannot attach a result yet.
    _, officer = await staff(db, settings, unit_code=UNIT)
    await db.execute(
        "UPDATE applications SET status = 'processing' WHERE id = $1", filing.application_id
    )
    early = await start(
        client, filing, pdf(), "application/pdf", headers=officer, requirement="result"
    )
    problem(early, 409, "documents-locked")

    await db.execute(
        "UPDATE applications SET status = 'approved' WHERE id = $1", filing.application_id
    )
    problem(
        await start(client, filing, pdf(), "application/pdf", requirement="result"),
        403,
        "forbidden",
    )
    document_id, completed = await upload(
        client, filing, pdf(), "application/pdf", headers=officer, requirement="result"
    )
    assert completed.status_code == 200, completed.text
    assert completed.json()["kind"] == "result"
    stored = await db.fetchval(
        "SELECT count(*) FROM application_documents"
        " WHERE application_id = $1 AND kind = 'result' AND status = 'stored'",
        filing.application_id,
    )
    assert stored == 1
    # The citizen can fetch the result handed back to them.
    download = await client.get(f"{filing.documents_path}/{document_id}", headers=filing.headers)
    assert download.status_code == 200, download.text


async def test_counter_intake_officer_adds_input_documents(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    procedure: tuple[str, str],
) -> None:
    citizen_id, headers = await citizen(db, settings)
    application_id = await new_application(db, procedure[0], citizen_id, channel="counter")
    filing = Filing(citizen_id, headers, application_id, procedure[1])
    _, officer = await staff(db, settings, unit_code=UNIT)
    _, completed = await upload(client, filing, png(), "image/png", headers=officer)
    assert completed.status_code == 200, completed.text
    assert completed.json()["kind"] == "input"


async def test_list_pages_with_a_cursor(client: httpx.AsyncClient, filing: Filing) -> None:
    created = [
        (await start(client, filing, png(), "image/png")).json()["document_id"] for _ in range(3)
    ]
    first = await client.get(filing.documents_path, params={"limit": 2}, headers=filing.headers)
    assert first.status_code == 200, first.text
    page = first.json()
    assert page["next_cursor"]
    second = await client.get(
        filing.documents_path,
        params={"limit": 2, "cursor": page["next_cursor"]},
        headers=filing.headers,
    )
    rest = second.json()
    assert rest["next_cursor"] is None
    listed = [item["document_id"] for item in page["items"] + rest["items"]]
    assert listed == created
    assert {item["status"] for item in page["items"]} == {"pending"}
    problem(
        await client.get(
            filing.documents_path, params={"cursor": "garbage"}, headers=filing.headers
        ),
        422,
        "validation-failed",
    )


# ----- memory under a burst of large images -------------------------------------------------


def _zlib_of_repeats(block: bytes, count: int) -> bytes:
    """zlib data for ``count`` copies of ``block`` without compressing them all (a full flush
    makes each copy's compressed form independent)."""
    packer = zlib.compressobj(9)
    first = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.flush()[:-4]
    checksum = 1
    for _ in range(count):
        checksum = zlib.adler32(block, checksum)
    return first + again * (count - 1) + end + checksum.to_bytes(4, "big")


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        len(payload).to_bytes(4, "big")
        + kind
        + payload
        + zlib.crc32(kind + payload).to_bytes(4, "big")
    )


@functools.cache
def huge_png() -> bytes:
    """7000 x 7000 RGBA (49 megapixels, 196 MB decoded) in about 200 KB, built without ever
    holding the pixels."""
    width = height = 7000
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    rows = _zlib_of_repeats(bytes(1 + 4 * width) * 100, height // 100)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
    )


@functools.cache
def big_jpeg() -> bytes:
    """6000 x 6000 (36 megapixels, under the cap): a phone photo of a page, oversized."""
    image = Image.new("RGB", (6000, 6000), (250, 250, 245))
    image.paste((20, 20, 20), (500, 500, 5500, 700))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _rss_kib(field: str) -> int:
    with open("/proc/self/status") as status:  # noqa: PTH123
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(field)


async def test_burst_of_large_images_stays_within_memory(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    procedure: tuple[str, str],
) -> None:
    # The API runs in this process (a uvicorn thread), so its memory is this process's.
    files = [(huge_png(), "image/png")] * 4 + [(big_jpeg(), "image/jpeg")] * 4
    tickets = []
    for data, content_type in files:
        # One application each: completions of one application queue on its row lock.
        citizen_id, headers = await citizen(db, settings)
        application_id = await new_application(db, procedure[0], citizen_id)
        filing = Filing(citizen_id, headers, application_id, procedure[1])
        created = await start(client, filing, data, content_type)
        assert created.status_code == 201, created.text
        await post_form(created.json(), data)
        tickets.append((filing, created.json()["document_id"]))

    gc.collect()
    with open("/proc/self/clear_refs", "w") as clear:  # noqa: PTH123
        clear.write("5")  # resets the peak (VmHWM) to the current RSS
    before = _rss_kib("VmRSS")
    started = time.monotonic()
    responses = await asyncio.gather(
        *(complete(client, filing, document_id, None) for filing, document_id in tickets)
    )
    elapsed = time.monotonic() - started
    peak = _rss_kib("VmHWM")
    after = _rss_kib("VmRSS")
    print(
        f"burst of {len(files)}: {elapsed:.2f} s, RSS {before // 1024} MB before,"
        f" peak {peak // 1024} MB (+{(peak - before) // 1024} MB), {after // 1024} MB after"
    )
    for response, (_, content_type) in zip(responses, files, strict=True):
        if content_type == "image/png":  # 49 megapixels: refused from the header
            assert problem(response, 422, "document-rejected")["reason"] == "too_large"
        else:
            assert response.status_code == 200, response.text
    # Two inspections at once (MAX_CONCURRENT_INSPECTIONS), each at most ~300 MB for a 36 MP
    # photo (108 MB decoded, 74 MB resize intermediate, 50 MB result, encoder buffers): ~600 MB.
    # Without the bound the same burst peaked at ~2 GB and stayed there.
    assert (peak - before) * 1024 < 700 * MB


async def test_staging_key_is_single_use_after_completion(
    client: httpx.AsyncClient, settings: Settings, filing: Filing, storage: ObjectStorage
) -> None:
    created = await start(client, filing, plain_jpeg(), "image/jpeg")
    ticket = created.json()
    await post_form(ticket, plain_jpeg())
    stored = await complete(client, filing, ticket["document_id"], None)
    assert stored.status_code == 200, stored.text

    # The same form again, with 20 MB (real storage refuses this size by the policy; moto
    # checks no policy, so the file lands): it is never read...
    await post_form(ticket, bytes(20 * 1024 * 1024))
    again = await complete(client, filing, ticket["document_id"], None)
    assert again.json() == stored.json()
    # ...and the sweep deletes it: only the verified copy remains.
    await sweep(settings)
    assert await application_keys(storage, filing) == [
        f"applications/{filing.application_id}/{ticket['document_id']}"
    ]


async def test_staging_key_is_single_use_after_rejection(
    client: httpx.AsyncClient, settings: Settings, filing: Filing, storage: ObjectStorage
) -> None:
    created = await start(client, filing, plain_jpeg(), "image/jpeg")
    ticket = created.json()
    await post_form(ticket, b"not a photo")
    problem(await complete(client, filing, ticket["document_id"], None), 422, "document-rejected")

    # A valid file posted to the spent form is not taken either, and is swept.
    await post_form(ticket, plain_jpeg())
    problem(await complete(client, filing, ticket["document_id"], None), 409, "upload-not-pending")
    await sweep(settings)
    assert await application_keys(storage, filing) == []
