from __future__ import annotations

import asyncpg

LIST_PROVINCES = """
SELECT code, name_vi, name_en, full_name_vi, full_name_en FROM provinces ORDER BY code
"""
LIST_COMMUNES = """
SELECT code, province_code, name_vi, name_en, full_name_vi, full_name_en
FROM communes ORDER BY code
"""


async def load_provinces(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return list(await conn.fetch(LIST_PROVINCES))


async def load_communes(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return list(await conn.fetch(LIST_COMMUNES))
