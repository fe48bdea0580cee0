"""The citizen's "declare once" profile: what every application reuses, checked by the person
rules. The CCCD number, name and date of birth are the citizen's to change until an officer
verifies them (api.accounts.identity_verification)."""

from __future__ import annotations

import uuid
from datetime import date

import asyncpg

from api.accounts.identity_verification import verified_field_changes
from api.accounts.person_rules import Person, PersonInput, clean_person
from api.accounts.problems import AccountNotFound
from api.accounts.repository import CitizenRepository
from api.accounts.schemas import AddressRead, ProfileRead, ProfileUpdate
from api.core.clock import vn_today
from api.core.problems import validation_failed
from api.core.ratelimit import RateLimiter
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
# Valid profile changes a citizen may make per hour: plenty for corrections, and a brake on
# cycling through other people's CCCD numbers.
PROFILE_CHANGES_PER_HOUR = 10


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

    async def replace(
        self, citizen_id: uuid.UUID, update: ProfileUpdate, limiter: RateLimiter
    ) -> ProfileRead:
        """Replace the profile. Only a valid change spends the hourly budget, so a citizen
        fixing typos is not held back by the mistakes."""
        clean = clean_profile(update, self._units, vn_today())
        await limiter.hit(
            "profile-change", str(citizen_id), limit=PROFILE_CHANGES_PER_HOUR, window_seconds=3600
        )
        async with self._conn.transaction():
            current = await self._citizens.get_for_update(citizen_id)
            if current is None:
                raise AccountNotFound()
            if changes := verified_field_changes(current, clean):
                raise validation_failed(changes)
            citizen = await self._citizens.replace_profile(citizen_id, clean)
        assert citizen is not None  # the row is locked: it cannot have gone
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
            identity_verified=citizen["identity_verified"],
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
