"""Who is signed in: the citizen or staff member behind the session, their own settings (the
language they read messages in), and the staff member's unit and agency."""

from __future__ import annotations

import uuid

import asyncpg
import msgspec

from api.accounts.problems import AccountNotFound
from api.accounts.profile import profile_complete
from api.accounts.repository import CitizenRepository, StaffRepository
from api.accounts.schemas import (
    AgencyRead,
    CitizenMe,
    MeUpdate,
    StaffMe,
    StaffUnitRead,
    UnitRead,
    UnitRef,
)
from api.core.actors import Actor


class AccountService:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def me(self, actor: Actor) -> CitizenMe | StaffMe:
        if actor.kind == "citizen":
            citizen = await CitizenRepository(self._conn).get(actor.id)
            if citizen is None:
                raise AccountNotFound()
            return CitizenMe(
                id=citizen["id"],
                phone=citizen["phone"],
                profile_complete=profile_complete(citizen),
                identity_verified=citizen["identity_verified"],
                language=citizen["language"],
            )
        officer = await StaffRepository(self._conn).get(actor.id)
        if officer is None:
            raise AccountNotFound()
        unit = None
        if officer["unit_code"] is not None:
            unit = UnitRef(
                code=officer["unit_code"],
                name_vi=officer["unit_name_vi"],
                name_en=officer["unit_name_en"],
            )
        return StaffMe(
            id=officer["id"],
            username=officer["username"],
            full_name=officer["full_name"],
            role=officer["role"],
            unit=unit,
            agency_code=officer["agency_code"],
            language=officer["language"],
        )

    async def update(self, actor: Actor, update: MeUpdate) -> CitizenMe | StaffMe:
        if not isinstance(update.language, msgspec.UnsetType):
            if actor.kind == "citizen":
                await CitizenRepository(self._conn).set_language(actor.id, update.language)
            else:
                await StaffRepository(self._conn).set_language(actor.id, update.language)
        return await self.me(actor)

    async def staff_unit(self, staff_id: uuid.UUID) -> StaffUnitRead:
        row = await StaffRepository(self._conn).unit_and_agency(staff_id)
        if row is None:
            raise AccountNotFound()
        unit = None
        if row["unit_code"] is not None:
            unit = UnitRead(
                code=row["unit_code"],
                name_vi=row["unit_name_vi"],
                name_en=row["unit_name_en"],
                level=row["unit_level"],
                province_code=row["unit_province_code"],
                commune_code=row["commune_code"],
            )
        agency = None
        if row["agency_code"] is not None:
            agency = AgencyRead(
                code=row["agency_code"],
                name_vi=row["agency_name_vi"],
                name_en=row["agency_name_en"],
                level=row["agency_level"],
                province_code=row["agency_province_code"],
            )
        return StaffUnitRead(unit=unit, agency=agency)
