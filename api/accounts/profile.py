"""The citizen's "declare once" profile: what every application reuses, checked by the person
rules and kept unique by CCCD number."""

from __future__ import annotations

import uuid
from datetime import date

import asyncpg

from api.accounts.person_rules import Person, PersonInput, clean_person
from api.accounts.problems import AccountNotFound, CitizenIdTaken
from api.accounts.repository import CitizenRepository
from api.accounts.schemas import AddressRead, ProfileRead, ProfileUpdate
from api.core.clock import vn_today
from api.core.problems import validation_failed
from api.geo.directory import AdminUnits
from api.messages import Message

# What "declare once" asks of every citizen before filing; labels are the catalogue entries
# accounts.profile-fields.<name>.
PROFILE_FIELD_NAMES: tuple[str, ...] = (
    "full_name",
    "date_of_birth",
    "gender",
    "citizen_id_number",
    "province_code",
    "commune_code",
    "street",
)
_CITIZEN_ID_UNIQUE = "citizens_citizen_id_number_key"


def profile_field_label(name: str) -> Message:
    """How to name a profile field to the citizen ("Họ và tên"), e.g. in "Missing: …"."""
    return Message(f"accounts.profile-fields.{name}")


def missing_profile_fields(citizen: asyncpg.Record) -> list[str]:
    return [name for name in PROFILE_FIELD_NAMES if not citizen[name]]


def profile_complete(citizen: asyncpg.Record) -> bool:
    return not missing_profile_fields(citizen)


def clean_profile(update: ProfileUpdate, units: AdminUnits, today: date) -> Person:
    """The normalised profile, or one 422 problem listing every invalid field."""
    address = update.address
    checked = clean_person(
        PersonInput(
            full_name=update.full_name,
            date_of_birth=update.date_of_birth,
            gender=update.gender,
            citizen_id_number=update.citizen_id_number,
            province_code=address.province_code,
            commune_code=address.commune_code,
            street=address.street,
            email=update.email,
        ),
        units,
        today,
    )
    if isinstance(checked, list):
        raise validation_failed(checked)
    return checked


class ProfileService:
    def __init__(self, conn: asyncpg.Connection, units: AdminUnits) -> None:
        self._conn = conn
        self._units = units
        self._citizens = CitizenRepository(conn)

    async def read(self, citizen_id: uuid.UUID) -> ProfileRead:
        citizen = await self._citizens.get(citizen_id)
        if citizen is None:
            raise AccountNotFound()
        return self._profile(citizen)

    async def replace(self, citizen_id: uuid.UUID, update: ProfileUpdate) -> ProfileRead:
        clean = clean_profile(update, self._units, vn_today())
        try:
            async with self._conn.transaction():
                citizen = await self._citizens.replace_profile(
                    citizen_id,
                    full_name=clean.full_name,
                    date_of_birth=clean.date_of_birth,
                    gender=clean.gender,
                    citizen_id_number=clean.citizen_id_number,
                    province_code=clean.province_code,
                    commune_code=clean.commune_code,
                    street=clean.street,
                    email=clean.email,
                )
        except asyncpg.UniqueViolationError as exc:
            # The unique index is the only check that holds against a concurrent claim.
            if exc.constraint_name == _CITIZEN_ID_UNIQUE:
                raise CitizenIdTaken() from exc
            raise
        if citizen is None:
            raise AccountNotFound()
        return self._profile(citizen)

    def _profile(self, citizen: asyncpg.Record) -> ProfileRead:
        return ProfileRead(
            id=citizen["id"],
            phone=citizen["phone"],
            full_name=citizen["full_name"],
            date_of_birth=citizen["date_of_birth"],
            gender=citizen["gender"],
            citizen_id_number=citizen["citizen_id_number"],
            address=self._address(citizen),
            email=citizen["email"],
            profile_complete=profile_complete(citizen),
        )

    def _address(self, citizen: asyncpg.Record) -> AddressRead | None:
        province = self._units.province(citizen["province_code"] or "")
        commune = self._units.commune(citizen["commune_code"] or "")
        if province is None or commune is None or citizen["street"] is None:
            return None
        return AddressRead(
            province_code=province.code,
            province_name_vi=province.name_vi,
            province_name_en=province.name_en,
            commune_code=commune.code,
            commune_name_vi=commune.name_vi,
            commune_name_en=commune.name_en,
            street=citizen["street"],
        )
