"""Demo data for ``make run``: staff in a city ward and two mountain communes, and a citizen
with a complete profile. Safe to run repeatedly; never run in production."""

from __future__ import annotations

import asyncio

import asyncpg

from api.core.db import connect
from api.core.passwords import hash_password
from api.settings import load_settings

DEMO_PASSWORD = "MotCua@2026"  # noqa: S105 - printed for the developer on purpose

# (username, full name, role, unit code, agency code)
DEMO_STAFF: list[tuple[str, str, str, str | None, str | None]] = [
    ("canbo.badinh", "Nguyễn Thị Lan", "officer", "00004", None),
    ("canbo.batxat", "Lý Seo Chứ", "officer", "02683", None),
    ("canbo.dongvan", "Vàng Mí Sính", "officer", "00721", None),
    ("canbo.laocai", "Trần Văn Minh", "officer", "P15", None),
    ("quantri.batxat", "Phạm Thu Hà", "agency_admin", None, "UBX02683"),
    ("quantri.hethong", "Quản trị hệ thống", "system_admin", None, None),
]

DEMO_CITIZEN = {
    "phone": "0912345678",
    "full_name": "Nguyễn Văn An",
    "date_of_birth": "1990-05-17",
    "gender": "male",
    "citizen_id_number": "001090012345",
    "province_code": "01",
    "commune_code": "00004",
    "street": "12 Phố Đội Cấn",
}

_UPSERT_STAFF = """
INSERT INTO staff (username, password_hash, full_name, role, unit_code, agency_code)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (username) DO NOTHING
"""

_UPSERT_CITIZEN = """
INSERT INTO citizens (phone, full_name, date_of_birth, gender, citizen_id_number,
                      province_code, commune_code, street)
VALUES ($1, $2, $3::text::date, $4, $5, $6, $7, $8)
ON CONFLICT (phone) DO NOTHING
"""


async def seed_demo(conn: asyncpg.Connection) -> None:
    password_hash = hash_password(DEMO_PASSWORD)
    async with conn.transaction():
        for username, full_name, role, unit_code, agency_code in DEMO_STAFF:
            await conn.execute(
                _UPSERT_STAFF, username, password_hash, full_name, role, unit_code, agency_code
            )
        await conn.execute(_UPSERT_CITIZEN, *DEMO_CITIZEN.values())


def describe() -> str:
    lines = ["Demo accounts (mật khẩu / password: " + DEMO_PASSWORD + "):"]
    for username, full_name, role, unit_code, agency_code in DEMO_STAFF:
        scope = unit_code or agency_code or "toàn hệ thống / everything"
        lines.append(f"  {username:<16} {role:<13} {scope:<10} {full_name}")
    lines.append(
        f"  citizen phone {DEMO_CITIZEN['phone']} (sign in with POST /api/v1/auth/otp; "
        "the code is in the response as dev_code)"
    )
    return "\n".join(lines)


async def _main() -> None:
    settings = load_settings()
    if settings.is_production:
        raise SystemExit("refusing to seed demo accounts in production")
    conn = await connect(settings.database_url)
    try:
        await seed_demo(conn)
    finally:
        await conn.close()


if __name__ == "__main__":
    asyncio.run(_main())
    print(describe())
