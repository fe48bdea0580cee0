"""Apply the numbered SQL files in migrations/ in order, each once, under an advisory lock.

Run with ``python -m api.migrate``; the API also runs it at start-up.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from pathlib import Path

import asyncpg

from api.core.db import connect
from api.settings import load_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# Any constant works; it only has to be the same for every process applying migrations.
_ADVISORY_LOCK_KEY = 7_406_313_001

logger = logging.getLogger(__name__)

_CREATE_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""


class MigrationError(RuntimeError):
    pass


def discover(directory: Path = MIGRATIONS_DIR) -> list[Path]:
    files = sorted(p for p in directory.iterdir() if p.suffix == ".sql")
    for path in files:
        if not _MIGRATION_NAME.match(path.name):
            raise MigrationError(f"migration file name must look like 0001_name.sql: {path.name}")
    return files


async def apply_migrations(conn: asyncpg.Connection, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply pending migrations; return the names applied now (empty when up to date)."""
    applied_now: list[str] = []
    await conn.execute("SELECT pg_advisory_lock($1)", _ADVISORY_LOCK_KEY)
    try:
        await conn.execute(_CREATE_LEDGER)
        rows = await conn.fetch("SELECT version, checksum FROM schema_migrations")
        done = {row["version"]: row["checksum"] for row in rows}
        for path in discover(directory):
            sql = path.read_text(encoding="utf-8")
            checksum = hashlib.sha256(sql.encode()).hexdigest()
            if path.name in done:
                if done[path.name] != checksum:
                    raise MigrationError(f"{path.name} changed after it was applied")
                continue
            async with conn.transaction():
                await conn.execute(sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)",
                    path.name,
                    checksum,
                )
            logger.info("migration applied", extra={"migration": path.name})
            applied_now.append(path.name)
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _ADVISORY_LOCK_KEY)
    return applied_now


async def migrate(dsn: str) -> list[str]:
    conn = await connect(dsn)
    try:
        return await apply_migrations(conn)
    finally:
        await conn.close()


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    applied = asyncio.run(migrate(load_settings().database_url))
    print(f"applied {len(applied)} migration(s): {', '.join(applied) or 'none pending'}")


if __name__ == "__main__":
    main()
