"""Data for ``make bench``: signed-in citizens and an officer, and 100,000 applications in the
officer's unit loaded with COPY (most of them closed, as at the end of a month), each with a
receipt code to track and two status events."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta

import asyncpg

from api.settings import Settings
from tests.support import citizen, staff

QUEUE_UNIT = "00004"
FILING_COMMUNES = 16
PROCEDURE = "CHT-BANSAO"
OPEN = ["submitted", "received", "processing", "supplement_requested", "approved"]
CLOSED = ["completed", "rejected", "returned", "withdrawn", "result_issued"]


def receipt_code(n: int, start: date) -> str:
    day = start + timedelta(days=n // 9_000)
    return f"{QUEUE_UNIT}-{day:%y%m%d}-{n % 9_000 + 1:04d}"


async def seed_applications(conn: asyncpg.Connection, count: int) -> list[str]:
    """``count`` applications in QUEUE_UNIT (40 % still open), each with its submitted and
    received events; their receipt codes. With 100,000 codes a look-up by a random one is
    rarely repeated within the 5 s the API remembers a tracking answer, so the tracking figure
    measures look-ups that reach the database."""
    rng = random.Random(13)
    today = date.today()
    start = today - timedelta(days=120)
    staff_id = uuid.uuid4()
    applicant = '{"full_name": "Nguyễn Văn An"}'
    rows = []
    ids = []
    for n in range(count):
        status = rng.choice(OPEN) if rng.random() < 0.4 else rng.choice(CLOSED)
        received = start + timedelta(days=n // 9_000)
        due = today + timedelta(days=rng.randint(-20, 40))
        completed = datetime.combine(due, datetime.min.time(), UTC) if status in CLOSED else None
        application_id = uuid.uuid4()
        ids.append(application_id)
        rows.append(
            (
                application_id,
                PROCEDURE,
                QUEUE_UNIT,
                "counter",
                status,
                applicant,
                receipt_code(n, start),
                received,
                due,
                today - timedelta(days=1) if status == "supplement_requested" else None,
                completed,
                "staff",
                staff_id,
                uuid.uuid4(),
                "bench",
            )
        )
    await conn.copy_records_to_table(
        "applications",
        records=rows,
        columns=[
            "id",
            "procedure_code",
            "unit_code",
            "channel",
            "status",
            "applicant",
            "receipt_code",
            "received_on",
            "due_date",
            "clock_paused_on",
            "completed_at",
            "created_by_kind",
            "created_by_id",
            "idempotency_key",
            "request_fingerprint",
        ],
    )
    events = []
    for n in range(count):
        for seq, (kind, to_status) in enumerate(
            (("application.submitted", "submitted"), ("application.status_changed", "received")),
            start=1,
        ):
            events.append((ids[n], seq, kind, f'{{"to_status": "{to_status}"}}'))
    await conn.copy_records_to_table(
        "events", records=events, columns=["application_id", "seq", "type", "payload"]
    )
    await conn.execute("ANALYZE applications; ANALYZE events")
    return [receipt_code(n, start) for n in range(count)]


async def seed_people(
    conn: asyncpg.Connection, settings: Settings, citizens: int
) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Headers of ``citizens`` signed-in citizens and of an officer of QUEUE_UNIT.

    The citizens live in FILING_COMMUNES communes of QUEUE_UNIT's province (QUEUE_UNIT first),
    as at a province's end of month, so their applications go to as many units. In one unit
    they would all pass through one receipt counter, whose day ends at 9,999 numbers: a fast
    machine's create + submit runs used those up and were answered 503."""
    communes = await conn.fetch(
        "SELECT code FROM units WHERE level = 'commune'"
        " AND province_code = (SELECT province_code FROM units WHERE code = $1)"
        " ORDER BY code <> $1, code LIMIT $2",
        QUEUE_UNIT,
        FILING_COMMUNES,
    )
    assert len(communes) == FILING_COMMUNES
    people = [
        (await citizen(conn, settings, commune_code=communes[n % FILING_COMMUNES]["code"]))[1]
        for n in range(citizens)
    ]
    _, officer = await staff(conn, settings, unit_code=QUEUE_UNIT)
    return people, officer


async def put_documents_in_place(conn: asyncpg.Connection, requirements: list[str]) -> None:
    """From now on every new draft gets its required documents as stored rows, so submitting
    it succeeds (the bench measures the API, not uploads)."""
    values = ", ".join(
        "(NEW.id, 'input', " + asyncpg_literal(code) + ", 'bench/' || gen_random_uuid(),"
        " 'application/pdf', 1, repeat('0', 64), 'stored', 'application/pdf', 1,"
        " repeat('0', 64), now(), 'citizen', gen_random_uuid())"
        for code in requirements
    )
    await conn.execute(
        f"""
        CREATE OR REPLACE FUNCTION bench_documents() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO application_documents (application_id, kind, requirement, object_key,
                declared_content_type, declared_size, declared_sha256, status, content_type,
                size, sha256, upload_expires_at, uploaded_by_kind, uploaded_by_id)
            VALUES {values};
            RETURN NULL;
        END $$;
        CREATE TRIGGER bench_documents AFTER INSERT ON applications
            FOR EACH ROW WHEN (NEW.status = 'draft') EXECUTE FUNCTION bench_documents();
        """
    )


def asyncpg_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
