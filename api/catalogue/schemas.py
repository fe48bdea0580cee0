from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from api.catalogue.forms import FieldDefinition

ServiceLevel = Literal["info", "partial_online", "full_online"]
AgencyLevel = Literal["commune", "province"]


class RequiredDocument(msgspec.Struct, frozen=True):
    code: str
    name_vi: str
    name_en: str
    required: bool
    photo_accepted: bool


class ProcedureSummary(msgspec.Struct, frozen=True):
    code: str
    name_vi: str
    name_en: str
    sector_vi: str
    sector_en: str
    agency_level: AgencyLevel
    service_level: ServiceLevel
    fee_vnd: int
    processing_days: Annotated[int, msgspec.Meta(description="Working days")]


class ProcedureRead(msgspec.Struct, frozen=True):
    code: str
    name_vi: str
    name_en: str
    sector_vi: str
    sector_en: str
    summary_vi: str
    summary_en: str
    what_to_bring_vi: str
    what_to_bring_en: str
    agency_level: AgencyLevel
    deciding_agency_vi: str
    deciding_agency_en: str
    service_level: ServiceLevel
    fee_vnd: int
    fee_note_vi: str
    fee_note_en: str
    processing_days: Annotated[int, msgspec.Meta(description="Working days")]
    legal_basis: list[str]
    required_documents: list[RequiredDocument]
    form_fields: Annotated[
        list[FieldDefinition],
        msgspec.Meta(
            description="The form the applicant fills in (their own identity comes from the "
            "profile); a constraint left out does not apply"
        ),
    ]


class ProcedurePage(msgspec.Struct, frozen=True):
    items: list[ProcedureSummary]
    next_cursor: str | None
