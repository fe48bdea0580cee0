"""Public tracking by receipt code and public statistics. Rows are inserted straight into the
database following the applications feature's contract, so these tests do not depend on its
endpoints."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

import asyncpg
import httpx

from api.applications.calendar import WorkingCalendar
from api.core.clock import VN_TZ, vn_today
from api.core.masking import mask_name
from api.settings import Settings
from tests.conftest import problem

BAT_XAT = "02683"  # Xã Bát Xát, Lào Cai
DONG_VAN = "00721"  # Xã Đồng Văn, Tuyên Quang: only the statistics test files here

CCCD = "001090123456"
PHONE = "0912345678"
STREET = "Số 7 ngõ 12 Phố Đội Cấn"
NOTE = "Đã gọi điện cho ông An theo số 0912345678 để nhắc bổ sung giấy khai sinh"


async def _procedures(db: asyncpg.Connection) -> list[str]:
    """Two procedure codes: seeded ones when the catalogue is there, test ones otherwise."""
    codes = [r["code"] for r in await db.fetch("SELECT code FROM procedures ORDER BY code LIMIT 2")]
    for code in ("T.TRACK.1", "T.TRACK.2")[len(codes) :]:
        await db.execute(
            "INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi,"
            " summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi,"
            " deciding_agency_en, service_level, fee_vnd, processing_days, legal_basis,"
            " required_documents, form_fields)"
            " VALUES ($1, 'Thủ tục thử nghiệm', 'Test procedure', 'Thử nghiệm', 'Test', '', '',"
            " '', '', 'commune', 'UBND xã', 'Commune People''s Committee', 'full_online', 0, 5,"
            " '[]', '[]', '[]') ON CONFLICT (code) DO NOTHING",
            code,
        )
        codes.append(code)
    return codes


def _receipt_code(unit: str) -> str:
    # Random digits keep parallel tests apart; the shape is that of a real code.
    return f"{unit}-{random.randrange(10**6):06d}-{random.randrange(10**4):04d}"


def _vn(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VN_TZ)


async def _application(
    db: asyncpg.Connection,
    *,
    procedure: str,
    unit: str = BAT_XAT,
    status: str = "processing",
    channel: str = "online",
    received_on: date | None = None,
    due_date: date | None = None,
    clock_paused_on: date | None = None,
    completed_at: datetime | None = None,
    receipt_code: str | None = "generate",
    full_name: str = "Nguyễn Văn An",
) -> tuple[uuid.UUID, str | None]:
    code = _receipt_code(unit) if receipt_code == "generate" else receipt_code
    applicant = {
        "full_name": full_name,
        "citizen_id_number": CCCD,
        "phone": PHONE,
        "street": STREET,
        "date_of_birth": "1990-05-17",
    }
    app_id = await db.fetchval(
        "INSERT INTO applications (procedure_code, unit_code, channel, status, applicant, form,"
        " receipt_code, submitted_at, received_on, due_date, clock_paused_on, completed_at,"
        " created_by_kind, created_by_id, idempotency_key, request_fingerprint)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'staff', $13, $14, 'test')"
        " RETURNING id",
        procedure,
        unit,
        channel,
        status,
        applicant,
        {"ho_ten_cha": "Nguyễn Văn Bình", "so_dien_thoai": PHONE},
        code,
        _vn(received_on) if received_on else None,
        received_on,
        due_date,
        clock_paused_on,
        completed_at,
        uuid.uuid4(),
        uuid.uuid4(),
    )
    return app_id, code


async def _events(
    db: asyncpg.Connection,
    app_id: uuid.UUID,
    code: str | None,
    steps: list[tuple[str, str | None, str, datetime]],
) -> None:
    """``steps``: (event type, from_status, to_status, occurred_at) in order."""
    for seq, (event_type, from_status, to_status, at) in enumerate(steps, start=1):
        payload: dict[str, Any] = {
            "application_id": str(app_id),
            "receipt_code": code,
            "procedure_code": "x",
            "citizen_id": None,
            "unit_code": BAT_XAT,
            "channel": "online",
            "from_status": from_status,
            "to_status": to_status,
            "version": seq,
            "actor_kind": "staff",
            "actor_role": "officer",
            "occurred_at": at.astimezone(VN_TZ).isoformat(),
            "due_date": None,
            "note": NOTE,
        }
        await db.execute(
            "INSERT INTO events (application_id, seq, type, payload) VALUES ($1, $2, $3, $4)",
            app_id,
            seq,
            event_type,
            payload,
        )


async def _calendar(db: asyncpg.Connection) -> WorkingCalendar:
    return WorkingCalendar(r["day"] for r in await db.fetch("SELECT day FROM public_holidays"))


def test_names_are_masked_to_initials() -> None:
    assert mask_name("Nguyễn Văn An") == "N*** V*** A"
    assert mask_name("  đặng   thị   ngọc  ánh ") == "Đ*** T*** N*** Á"
    assert mask_name("An") == "A"
    assert mask_name(None) == "***"


async def test_tracking_shows_progress_and_nothing_personal(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    procedure = (await _procedures(db))[0]
    today = vn_today()
    received = today - timedelta(days=3)
    app_id, code = await _application(
        db,
        procedure=procedure,
        status="processing",
        received_on=received,
        due_date=today + timedelta(days=14),
    )
    assert code is not None
    start = _vn(received, 8)
    await _events(
        db,
        app_id,
        code,
        [
            ("application.created", None, "draft", start),
            ("application.submitted", "draft", "submitted", start + timedelta(minutes=5)),
            ("application.status_changed", "submitted", "received", start + timedelta(hours=2)),
            ("application.status_changed", "received", "processing", start + timedelta(days=1)),
            (
                "application.supplement_requested",
                "processing",
                "supplement_requested",
                start + timedelta(days=1, hours=2),
            ),
            (
                "application.status_changed",
                "supplement_requested",
                "processing",
                start + timedelta(days=2),
            ),
        ],
    )

    response = await client.get(f"/api/v1/track/{code}")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "max-age=5, public"
    assert response.headers["etag"]
    body = response.json()
    assert body["receipt_code"] == code
    assert body["procedure"]["code"] == procedure and body["procedure"]["name_vi"]
    assert body["unit"] == {
        "code": BAT_XAT,
        "name_vi": "Bộ phận Một cửa Xã Bát Xát",
        "name_en": "One-stop section, Bat Xat Commune",
    }
    assert body["received_on"] == received.isoformat()
    assert body["due_date"] == (today + timedelta(days=14)).isoformat()
    assert (body["status"], body["status_label_vi"], body["status_label_en"]) == (
        "processing",
        "Đang xử lý",
        "Processing",
    )
    assert body["on_time"] == "on_time"
    assert body["working_days_left"] > 0
    assert body["applicant_name_masked"] == "N*** V*** A"
    timeline = body["timeline"]
    assert [entry["status"] for entry in timeline] == [
        "submitted",
        "received",
        "processing",
        "supplement_requested",
        "processing",
    ]
    assert timeline[3]["label_vi"] == "Chờ bổ sung hồ sơ"
    assert timeline[0]["label_en"] == "Submitted"
    moments = [datetime.fromisoformat(entry["at"]) for entry in timeline]
    assert moments == sorted(moments)
    assert moments[0] == start + timedelta(minutes=5)
    assert all(moment.utcoffset() == timedelta(0) for moment in moments)
    assert set(body) == {
        "receipt_code",
        "procedure",
        "unit",
        "received_on",
        "due_date",
        "status",
        "status_label_vi",
        "status_label_en",
        "on_time",
        "working_days_left",
        "applicant_name_masked",
        "timeline",
    }
    for secret in (CCCD, PHONE, STREET, "Phố Đội Cấn", "Nguyễn", "Văn", "Bình", "1990-05-17"):
        assert secret not in response.text
    assert "ghi chú" not in response.text.lower() and "note" not in response.text.lower()
    assert str(app_id) not in response.text

    # Codes typed in lower case on a phone still find the file.
    assert (await client.get(f"/api/v1/track/{code.lower()}")).status_code == 200


async def test_unknown_and_malformed_codes_are_the_same_404(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    procedure = (await _procedures(db))[0]
    _, draft_code = await _application(db, procedure=procedure, status="draft")
    unknown = problem(await client.get(f"/api/v1/track/{_receipt_code(BAT_XAT)}"), 404, "not-found")
    for malformed in ("abc", "02683-2611230007", "02683-261123-007", "0-261123-0007", "%20"):
        body = problem(await client.get(f"/api/v1/track/{malformed}"), 404, "not-found")
        assert (body["title"], body["detail"]) == (unknown["title"], unknown["detail"])
    # A draft is never public, even if a code was somehow stored on it.
    problem(await client.get(f"/api/v1/track/{draft_code}"), 404, "not-found")
    english = problem(
        await client.get("/api/v1/track/nope", headers={"Accept-Language": "en"}), 404
    )
    assert english["detail"] == "No application has this receipt code"


async def test_deadline_standing_in_every_state(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    procedure = (await _procedures(db))[0]
    calendar = await _calendar(db)
    today = vn_today()
    due_soon = calendar.add_working_days(today, 5)
    past_due = calendar.add_working_days(today, -3)
    paused_on = today - timedelta(days=2)
    cases: list[tuple[dict[str, Any], str | None, int | None]] = [
        ({"due_date": due_soon}, "on_time", 5),
        ({"due_date": today}, "on_time", 0),
        ({"due_date": past_due}, "overdue", calendar.working_days_left(today, past_due)),
        (
            {
                "status": "supplement_requested",
                "clock_paused_on": paused_on,
                "due_date": due_soon,
            },
            "paused",
            calendar.working_days_left(paused_on, due_soon),
        ),
        (
            # 23:30 in Hà Nội on the due date is still on time (16:30 UTC).
            {
                "status": "result_issued",
                "due_date": past_due,
                "completed_at": _vn(past_due, 23, 30),
            },
            "finished_on_time",
            None,
        ),
        (
            # 00:30 in Hà Nội the next day is late, though still the due date in UTC.
            {
                "status": "rejected",
                "due_date": past_due,
                "completed_at": _vn(past_due + timedelta(days=1), 0, 30),
            },
            "finished_late",
            None,
        ),
        (
            {
                "status": "completed",
                "due_date": due_soon,
                "completed_at": datetime.now(VN_TZ) - timedelta(hours=1),
            },
            "finished_on_time",
            None,
        ),
        ({"status": "withdrawn", "due_date": past_due}, None, None),
        ({"status": "returned", "due_date": None}, None, None),
        ({"status": "submitted", "due_date": None}, None, None),
    ]
    for fields, expected_on_time, expected_days_left in cases:
        _, code = await _application(
            db, procedure=procedure, received_on=today - timedelta(days=20), **fields
        )
        body = (await client.get(f"/api/v1/track/{code}")).json()
        assert (body["on_time"], body["working_days_left"]) == (
            expected_on_time,
            expected_days_left,
        ), fields
        assert body["timeline"] == []


async def test_lookups_are_rate_limited_per_address(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    procedure = (await _procedures(db))[0]
    _, code = await _application(db, procedure=procedure, due_date=vn_today())
    for _ in range(settings.track_per_ip_limit):
        assert (await client.get(f"/api/v1/track/{code}")).status_code == 200
    # The code is remembered now, so the refusal is decided in front of Litestar
    # (api/tracking/front.py) and handed to the route: the same 429 problem.
    limited = await client.get(f"/api/v1/track/{code}")
    body = problem(limited, 429, "rate-limited")
    assert 0 < int(limited.headers["retry-after"]) <= settings.track_per_ip_window_seconds
    assert body["retry_after"] == int(limited.headers["retry-after"])
    # Another address is unaffected.
    other = {"X-Forwarded-For": f"203.0.113.{random.randrange(1, 250)}"}
    assert (await client.get(f"/api/v1/track/{code}", headers=other)).status_code == 200


async def test_every_lookup_spends_the_general_budget_once_found_or_not(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    # Found answers are sent in front of Litestar and the rest by the route after the charge
    # made in front: neither path may charge twice.
    procedure = (await _procedures(db))[0]
    _, code = await _application(db, procedure=procedure, due_date=vn_today())
    caller = {"X-Forwarded-For": f"198.51.100.{random.randrange(1, 250)}"}
    misses = 5
    for _ in range(misses):
        response = await client.get(f"/api/v1/track/{_receipt_code(BAT_XAT)}", headers=caller)
        problem(response, 404, "not-found")
    for _ in range(settings.track_per_ip_limit - misses):
        assert (await client.get(f"/api/v1/track/{code}", headers=caller)).status_code == 200
    problem(await client.get(f"/api/v1/track/{code}", headers=caller), 429, "rate-limited")


async def test_failed_lookups_exhaust_a_smaller_budget_that_blocks_every_lookup(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    procedure = (await _procedures(db))[0]
    _, code = await _application(db, procedure=procedure, due_date=vn_today())
    prober = {"X-Forwarded-For": f"192.0.2.{random.randrange(1, 250)}"}
    for _ in range(10):
        response = await client.get(f"/api/v1/track/{_receipt_code(BAT_XAT)}", headers=prober)
        problem(response, 404, "not-found")
    # Now even a real code is refused, so a prober cannot tell hits from misses.
    for path in (f"/api/v1/track/{code}", f"/api/v1/track/{_receipt_code(BAT_XAT)}"):
        refused = await client.get(path, headers=prober)
        problem(refused, 429, "rate-limited")
        assert 500 < int(refused.headers["retry-after"]) <= 600
    assert (await client.get(f"/api/v1/track/{code}")).status_code == 200


async def test_public_stats_for_a_controlled_data_set(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    main, other = await _procedures(db)
    today = vn_today()

    def day(offset: int) -> date:
        return today + timedelta(days=offset)

    rows: list[dict[str, Any]] = [
        # Received in the period and finished on time, late, and on time by 23:30 Hà Nội time.
        {"channel": "online", "received_on": day(-10), "due_date": day(-3),
         "status": "result_issued", "completed_at": _vn(day(-4))},
        {"channel": "online", "received_on": day(-9), "due_date": day(-5),
         "status": "completed", "completed_at": _vn(day(-2))},
        {"channel": "offline_sync", "received_on": day(-12), "due_date": day(-6),
         "status": "rejected", "completed_at": _vn(day(-6), 23, 30)},
        # Received in the period: overdue now; open and on time; withdrawn.
        {"channel": "online", "received_on": day(-8), "due_date": day(-1), "status": "processing"},
        {"channel": "counter", "received_on": day(-2), "due_date": day(5), "status": "received"},
        {"channel": "online", "received_on": day(-5), "due_date": day(-1), "status": "withdrawn"},
        # Outside the period: waiting for supplements past its due date (clock stopped) and
        # finished long ago — neither counts.
        {"channel": "counter", "received_on": day(-20), "due_date": day(-1),
         "status": "supplement_requested", "clock_paused_on": day(-3)},
        {"channel": "online", "received_on": day(-100), "due_date": day(-80),
         "status": "result_issued", "completed_at": _vn(day(-60))},
        # Another procedure: overdue for months, counted whatever the period.
        {"procedure": other, "channel": "counter", "received_on": day(-100),
         "due_date": day(-50), "status": "processing"},
    ]  # fmt: skip
    for row in rows:
        await _application(db, unit=DONG_VAN, **{"procedure": main, **row})

    period = {"from": day(-14).isoformat(), "to": today.isoformat()}
    response = await client.get("/api/v1/stats/public", params={**period, "unit": DONG_VAN})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["period"] == period
    assert body["unit"] == DONG_VAN
    figures = {
        (r["procedure_code"]): {k: v for k, v in r.items() if not k.endswith(("_vi", "_en"))}
        for r in body["rows"]
    }
    assert figures == {
        main: {
            "unit_code": DONG_VAN,
            "procedure_code": main,
            "received": 6,
            "completed": 3,
            "completed_on_time": 2,
            "on_time_rate": 66.7,
            "overdue_now": 1,
            "online_share": 83.3,
        },
        other: {
            "unit_code": DONG_VAN,
            "procedure_code": other,
            "received": 0,
            "completed": 0,
            "completed_on_time": 0,
            "on_time_rate": None,
            "overdue_now": 1,
            "online_share": None,
        },
    }
    assert body["rows"][0]["unit_name_vi"] == "Bộ phận Một cửa Xã Đồng Văn"
    assert body["rows"][0]["procedure_name_vi"]
    assert body["totals"] == {
        "received": 6,
        "completed": 3,
        "completed_on_time": 2,
        "on_time_rate": 66.7,
        "overdue_now": 2,
        "online_share": 83.3,
    }
    assert "Nguyễn" not in response.text and CCCD not in response.text

    # Without the unit filter the same rows are among all units' rows.
    everywhere = (await client.get("/api/v1/stats/public", params=period)).json()
    mine = [r for r in everywhere["rows"] if r["unit_code"] == DONG_VAN]
    assert mine == body["rows"]
    assert everywhere["unit"] is None
    assert everywhere["totals"]["received"] >= 6


async def test_public_stats_periods_are_vietnam_days(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    procedure = (await _procedures(db))[0]
    unit = await db.fetchval("SELECT code FROM units WHERE level = 'commune' ORDER BY code DESC")
    start, end = date(2026, 3, 2), date(2026, 3, 6)
    finished = [
        _vn(start, 0, 30),  # 17:30 UTC on the day before: inside
        _vn(end, 23, 30),  # 16:30 UTC on the last day: inside
        _vn(start - timedelta(days=1), 23, 30),  # before the period
        _vn(end + timedelta(days=1), 0, 30),  # after it, though still the last day in UTC
    ]
    for at in finished:
        await _application(
            db,
            procedure=procedure,
            unit=unit,
            status="result_issued",
            received_on=start - timedelta(days=20),
            due_date=end,
            completed_at=at,
        )
    period = {"from": start.isoformat(), "to": end.isoformat(), "unit": unit}
    body = (await client.get("/api/v1/stats/public", params=period)).json()
    assert (body["totals"]["completed"], body["totals"]["completed_on_time"]) == (2, 2)
    assert body["totals"]["received"] == 0


async def test_public_stats_default_period_and_errors(client: httpx.AsyncClient) -> None:
    today = vn_today()
    body = (await client.get("/api/v1/stats/public")).json()
    assert body["period"] == {
        "from": (today - timedelta(days=29)).isoformat(),
        "to": today.isoformat(),
    }
    assert set(body["totals"]) == {
        "received",
        "completed",
        "completed_on_time",
        "on_time_rate",
        "overdue_now",
        "online_share",
    }
    longest = {"from": "2025-01-01", "to": "2026-01-01"}  # 366 days inclusive
    assert (await client.get("/api/v1/stats/public", params=longest)).status_code == 200

    url = "/api/v1/stats/public"
    problem(await client.get(url, params={"from": "2025-13-01"}), 422, "validation-failed")
    problem(await client.get(url, params={"to": "yesterday"}), 422, "validation-failed")
    backwards = problem(
        await client.get(url, params={"from": "2025-06-02", "to": "2025-06-01"}),
        422,
        "validation-failed",
    )
    assert backwards["errors"][0]["code"] == "before_from"
    too_long = problem(
        await client.get(url, params={"from": "2025-01-01", "to": "2026-01-02"}),
        422,
        "validation-failed",
    )
    assert too_long["errors"][0]["code"] == "period_too_long"
    unknown = problem(await client.get(url, params={"unit": "99999"}), 422, "validation-failed")
    assert unknown["errors"][0] == {
        "path": "unit",
        "code": "unknown_unit",
        "message": "Không có đơn vị với mã này",
    }
    problem(await client.get(url, params={"unit": "bad unit"}), 422, "validation-failed")
    # Dates far outside the service's life are refused, not overflowed.
    for params in ({"to": "0001-01-05"}, {"from": "1999-12-31"}, {"from": "9999-12-30"}):
        refused = problem(await client.get(url, params=params), 422, "validation-failed")
        assert refused["errors"][0]["code"] == "out_of_range"
