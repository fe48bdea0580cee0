"""What must be true before a move: the ``requires`` of its row in ``state_machine.MOVES``,
checked against the application, its documents and the command."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import asyncpg

from api.applications.events import SupplementRequested
from api.applications.problems import (
    ApplicationIncomplete,
    MoveDetailsMissing,
    ResultDocumentMissing,
)
from api.applications.repository import ApplicationRepository
from api.applications.schemas import MissingDocument
from api.applications.state_machine import Move
from api.catalogue.forms import AdminUnitLookup, stored_field_definitions, validate_form
from api.core.clock import vn_today
from api.core.problems import FieldProblem
from api.messages import Localised


async def check_requirements(
    repo: ApplicationRepository,
    units: AdminUnitLookup,
    row: asyncpg.Record,
    move: Move,
    *,
    documents: Sequence[Mapping[str, Any]],
    note: str | None,
    missing_documents: list[MissingDocument] | None,
    new_due_date: date | None = None,
) -> dict[str, Any]:
    """Raise the problem that blocks ``move``; return the form to store (cleaned in full when
    the move needs a complete application). ``documents``: the application's, as
    ``repository.documents`` reads them (under the row lock)."""
    if "note" in move.requires and not (note and note.strip()):
        raise MoveDetailsMissing(
            errors=[FieldProblem("note", "required", "applications.fields.note-required")]
        )
    if "missing_documents" in move.requires:
        _check_missing_documents(row, missing_documents)
    if "new_due_date" in move.requires:
        await _check_new_due_date(repo, row, new_due_date)
    form: dict[str, Any] = row["form"]
    errors: list[FieldProblem] = []
    if "complete" in move.requires:
        result = validate_form(
            stored_field_definitions(row["form_fields"]), form, units, partial=False
        )
        errors += result.errors
        form = result.cleaned
        # At the counter the officer has seen the originals: photos are not required.
        if row["channel"] != "counter":
            errors += _missing_required_documents(row, _stored(documents, "input"))
    if "supplied" in move.requires and row["channel"] != "counter":
        errors += await _missing_supplements(repo, row, {e.path for e in errors})
    if errors:
        raise ApplicationIncomplete(errors=errors)
    if "result_document" in move.requires and not _stored(documents, "result"):
        raise ResultDocumentMissing()
    return form


def _stored(documents: Sequence[Mapping[str, Any]], kind: str) -> set[str]:
    """Requirement codes with at least one stored document of ``kind``."""
    return {d["requirement"] for d in documents if d["kind"] == kind and d["status"] == "stored"}


def _check_missing_documents(row: asyncpg.Record, missing: list[MissingDocument] | None) -> None:
    if not missing:
        raise MoveDetailsMissing(
            errors=[
                FieldProblem(
                    "missing_documents",
                    "required",
                    "applications.fields.missing-documents-required",
                )
            ]
        )
    known = {doc["code"] for doc in row["required_documents"]}
    unknown = [
        FieldProblem(
            f"missing_documents.{index}.requirement",
            "unknown_requirement",
            "applications.fields.unknown-requirement",
        )
        for index, item in enumerate(missing)
        if item.requirement not in known
    ]
    if unknown:
        raise MoveDetailsMissing(errors=unknown)


async def _check_new_due_date(
    repo: ApplicationRepository, row: asyncpg.Record, new_due_date: date | None
) -> None:
    """A new due date is a working day after today and after the current due date."""
    problem: tuple[str, str] | None = None
    if new_due_date is None:
        problem = ("required", "applications.fields.new-due-date-required")
    elif new_due_date <= vn_today() or (
        row["due_date"] is not None and new_due_date <= row["due_date"]
    ):
        problem = ("not_later", "applications.fields.new-due-date-not-later")
    elif not (await repo.working_calendar()).is_working_day(new_due_date):
        problem = ("not_working_day", "applications.fields.new-due-date-not-working-day")
    if problem is not None:
        code, entry = problem
        raise MoveDetailsMissing(errors=[FieldProblem("new_due_date", code, entry)])


def _missing_required_documents(row: asyncpg.Record, stored: set[str]) -> list[FieldProblem]:
    return [
        FieldProblem(
            f"documents.{doc['code']}",
            "missing_document",
            "applications.fields.document-not-uploaded",
            document=Localised(vi=doc["name_vi"], en=doc["name_en"]),
        )
        for doc in row["required_documents"]
        if doc["required"] and doc["code"] not in stored
    ]


async def _missing_supplements(
    repo: ApplicationRepository, row: asyncpg.Record, already_reported: set[str]
) -> list[FieldProblem]:
    """Documents named in the last supplement request with no stored upload since then."""
    found = await repo.last_event_of_type(row["id"], SupplementRequested)
    if found is None:
        return []
    request, occurred_at = found
    fresh = await repo.stored_requirements(row["id"], "input", stored_after=occurred_at)
    problems: list[FieldProblem] = []
    for item in request.missing_documents:
        path = f"documents.{item.requirement}"
        if item.requirement not in fresh and path not in already_reported:
            already_reported.add(path)
            problems.append(
                FieldProblem(
                    path,
                    "missing_document",
                    "applications.fields.supplement-not-added",
                    reason=item.reason,
                )
            )
    return problems
