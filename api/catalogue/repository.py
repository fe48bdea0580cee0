"""Procedure catalogue queries. Search folds accents and case on both sides (fold_vi), ranks
by full-text match plus trigram similarity of the name, and pages by (rank, code)."""

from __future__ import annotations

from typing import Any

import asyncpg

_SUMMARY_COLUMNS = """
code, name_vi, name_en, sector_vi, sector_en, agency_level, service_level, fee_vnd,
processing_days
"""

_LIST = f"""
SELECT {_SUMMARY_COLUMNS}
FROM procedures
WHERE active
  AND ($1::text IS NULL OR service_level = $1)
  AND ($2::text IS NULL OR agency_level = $2)
  AND ($3::text IS NULL OR code > $3)
ORDER BY code
LIMIT $4
"""

# Rank: the full-text score, plus how close the query is to the whole name (so the exact
# procedure beats ones that merely mention the words), plus a bonus for a name prefix.
_SEARCH = f"""
WITH query AS (
    SELECT fold_vi($1) AS text, plainto_tsquery('simple', fold_vi($1)) AS tsq
), ranked AS (
    SELECT {_SUMMARY_COLUMNS},
           round((ts_rank(p.search_document, query.tsq)
                  + similarity(p.search_name, query.text)
                  + CASE WHEN p.search_name LIKE query.text || '%' THEN 0.5 ELSE 0 END
                 )::numeric, 6)::float8 AS rank
    FROM procedures p, query
    WHERE p.active
      AND (p.search_document @@ query.tsq OR word_similarity(query.text, p.search_name) >= 0.6)
      AND ($2::text IS NULL OR p.service_level = $2)
      AND ($3::text IS NULL OR p.agency_level = $3)
)
SELECT * FROM ranked
WHERE $4::float8 IS NULL OR rank < $4 OR (rank = $4 AND code > $5)
ORDER BY rank DESC, code
LIMIT $6
"""

_GET = """
SELECT code, name_vi, name_en, sector_vi, sector_en, summary_vi, summary_en, what_to_bring_vi,
       what_to_bring_en, agency_level, deciding_agency_vi, deciding_agency_en, service_level,
       fee_vnd, fee_note_vi, fee_note_en, processing_days, legal_basis, required_documents,
       form_fields
FROM procedures
WHERE code = $1 AND active
"""


class ProcedureRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def browse(
        self,
        *,
        service_level: str | None,
        agency_level: str | None,
        after_code: str | None,
        limit: int,
    ) -> list[asyncpg.Record]:
        return list(await self._conn.fetch(_LIST, service_level, agency_level, after_code, limit))

    async def search(
        self,
        text: str,
        *,
        service_level: str | None,
        agency_level: str | None,
        after: tuple[float, str] | None,
        limit: int,
    ) -> list[asyncpg.Record]:
        after_rank, after_code = after if after else (None, None)
        return list(
            await self._conn.fetch(
                _SEARCH, text, service_level, agency_level, after_rank, after_code, limit
            )
        )

    async def get(self, code: str) -> dict[str, Any] | None:
        row = await self._conn.fetchrow(_GET, code)
        return dict(row) if row else None
