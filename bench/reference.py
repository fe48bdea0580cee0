"""The bare reference for ``make bench``: a minimal Litestar + asyncpg app doing the same
database work as the measured routes, with nothing else (no middleware, guards, rate limits,
logging or validation beyond msgspec), served exactly as the API is (same server options and
worker count). Its figures, measured in the same run, are what the API's are compared with.

    REFERENCE_DSN=postgresql://... python -m uvicorn bench.reference:app

- ``GET /track/{code}``: one look-up by the unique receipt code (the primary-key select);
- ``POST /drafts``: three INSERTs in one transaction (a row, an event, an audit line);
- ``GET /procedures``: the catalogue page from PostgreSQL.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import msgspec
from litestar import Litestar, Response, get, post
from litestar.datastructures import State

_SCHEMA = """
CREATE TABLE IF NOT EXISTS bench_ref_rows (
    id uuid PRIMARY KEY, owner uuid NOT NULL, body jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS bench_ref_events (
    seq bigserial PRIMARY KEY, row_id uuid NOT NULL, payload jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS bench_ref_audit (
    seq bigserial PRIMARY KEY, row_id uuid NOT NULL, action text NOT NULL);
"""


class Draft(msgspec.Struct):
    procedure_code: str
    form: dict[str, Any]


@asynccontextmanager
async def _lifespan(app: Litestar) -> AsyncIterator[None]:
    pool = await asyncpg.create_pool(os.environ["REFERENCE_DSN"], min_size=1, max_size=10)
    assert pool is not None
    # Every worker process runs this; CREATE … IF NOT EXISTS is not safe against a concurrent one.
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('bench.reference schema'))")
        await conn.execute(_SCHEMA)
    app.state.pool = pool
    try:
        yield
    finally:
        await pool.close()


@get("/track/{code:str}")
async def track(state: State, code: str) -> dict[str, Any]:
    async with state.pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT id, receipt_code, status, received_on, due_date FROM applications"
            " WHERE receipt_code = $1",
            code,
        )
    if row is None:
        return {"found": False}
    return dict(row)


@post("/drafts")
async def create_draft(state: State, data: Draft) -> Response[dict[str, Any]]:
    row_id = uuid.uuid4()
    async with state.pool.acquire() as conn, conn.transaction():
        await conn.execute(
            "INSERT INTO bench_ref_rows (id, owner, body) VALUES ($1, $2, $3::jsonb)",
            row_id,
            row_id,
            msgspec.json.encode(data.form).decode(),
        )
        await conn.execute(
            "INSERT INTO bench_ref_events (row_id, payload) VALUES ($1, $2::jsonb)",
            row_id,
            '{"to_status": "draft"}',
        )
        await conn.execute(
            "INSERT INTO bench_ref_audit (row_id, action) VALUES ($1, 'create')", row_id
        )
    return Response({"id": str(row_id), "status": "draft"}, status_code=201)


@get("/procedures")
async def procedures(state: State) -> list[dict[str, Any]]:
    async with state.pool.acquire() as conn:
        rows = await conn.fetch("SELECT code, name_vi, name_en FROM procedures ORDER BY code")
    return [dict(row) for row in rows]


app = Litestar(
    route_handlers=[track, create_draft, procedures],
    lifespan=[_lifespan],
    logging_config=None,
    debug=False,
)


if __name__ == "__main__":
    import uvicorn

    from api.__main__ import server_options

    uvicorn.run(
        "bench.reference:app",
        host="127.0.0.1",
        port=int(os.environ["PORT"]),
        workers=int(os.environ.get("WEB_CONCURRENCY", "1")),
        **server_options(),
    )
