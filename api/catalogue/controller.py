from __future__ import annotations

import re
from typing import Annotated

import asyncpg
import msgspec
from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.params import Parameter

from api.catalogue.repository import ProcedureRepository
from api.catalogue.schemas import (
    AgencyLevel,
    ProcedurePage,
    ProcedureRead,
    ProcedureSummary,
    ServiceLevel,
)
from api.core.caching import PUBLIC_REFERENCE, RenderedAnswer, remembered_answers
from api.core.pagination import decode_cursor, encode_cursor
from api.core.problems import NotFound, problem_responses

_SUMMARY_FIELDS = ProcedureSummary.__struct_fields__
RECENT_PAGE_SECONDS = 60.0
# Control characters (NUL above all, which PostgreSQL text cannot hold) count as spaces.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class ProcedureController(Controller):
    path = "/procedures"
    tags = ["Catalogue"]
    cache_control = PUBLIC_REFERENCE

    @get(
        "/",
        summary="Search the catalogue of administrative procedures",
        description="Without `q`, the catalogue in code order; with `q`, best matches first "
        "(accents and case are ignored). Pass `next_cursor` back as `cursor` for the next page.",
        responses=problem_responses(400, 422, notes={400: "Malformed request"}),
    )
    async def list_procedures(
        self,
        state: State,
        q: Annotated[
            str | None,
            Parameter(
                max_length=200,
                description="Words to find, with or without diacritics (e.g. dang ky khai sinh)",
            ),
        ] = None,
        level: Annotated[ServiceLevel | None, Parameter(description="Online service level")] = None,
        agency_level: Annotated[
            AgencyLevel | None, Parameter(description="Deciding agency level")
        ] = None,
        cursor: Annotated[str | None, Parameter(max_length=200)] = None,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
    ) -> Response[ProcedurePage]:
        text = _CONTROL_CHARACTERS.sub(" ", q or "").strip()
        # The catalogue changes only with a migration (applied before serving): pages are
        # remembered rendered per process for a minute, well within their public max-age.
        recent = remembered_answers(
            state, "recent_catalogue_pages", RECENT_PAGE_SECONDS, max_entries=2_000
        )
        key = (text, level, agency_level, cursor, limit)
        page = recent.get(key)
        if page is None:
            async with state.db_pool.acquire() as db:
                page = RenderedAnswer.of(
                    await _page(ProcedureRepository(db), text, level, agency_level, cursor, limit)
                )
            recent.put(key, page)
        return page.response()

    @get(
        "/{code:str}",
        summary="One procedure: documents, fee, time, legal basis, form fields",
        responses=problem_responses(400, 404, 422, notes={400: "Malformed request"}),
    )
    async def get_procedure(
        self,
        db: asyncpg.Connection,
        code: Annotated[
            str,
            Parameter(
                max_length=40,
                pattern=r"^[A-Za-z0-9._-]+$",
                description="Procedure code, e.g. 1.001193",
            ),
        ],
    ) -> ProcedureRead:
        record = await ProcedureRepository(db).get(code)
        if record is None:
            raise NotFound(entry="catalogue.problems.procedure-not-found")
        return msgspec.convert(record, ProcedureRead)


async def _page(
    repository: ProcedureRepository,
    text: str,
    level: ServiceLevel | None,
    agency_level: AgencyLevel | None,
    cursor: str | None,
    limit: int,
) -> ProcedurePage:
    if text:
        rows = await repository.search(
            text,
            service_level=level,
            agency_level=agency_level,
            after=decode_cursor(cursor, tuple[float, str]),
            limit=limit + 1,
        )
    else:
        after = decode_cursor(cursor, tuple[str])
        rows = await repository.browse(
            service_level=level,
            agency_level=agency_level,
            after_code=after[0] if after else None,
            limit=limit + 1,
        )
    page, more = rows[:limit], len(rows) > limit
    next_cursor = None
    if more:
        last = page[-1]
        next_cursor = (
            encode_cursor(last["rank"], last["code"]) if text else encode_cursor(last["code"])
        )
    items = [ProcedureSummary(**{k: row[k] for k in _SUMMARY_FIELDS}) for row in page]
    return ProcedurePage(items=items, next_cursor=next_cursor)
