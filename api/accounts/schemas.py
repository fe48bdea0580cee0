"""Request and response shapes of sign-in, sessions and the citizen profile.

Profile fields carry their rules in descriptions only: the service checks them all at once so
one 422 lists every problem, instead of the decoder stopping at the first. Every request shape
refuses members it does not know (422 ``unknown_field``): a client sending ``phone`` or ``id``
in a profile must learn that they are not changed, not believe they were.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

import msgspec

from api.messages import Language

Gender = Literal["male", "female"]
StaffRole = Literal["officer", "agency_admin", "system_admin"]
Level = Literal["commune", "province"]

Phone = Annotated[
    str,
    msgspec.Meta(
        max_length=32,
        description="Vietnamese mobile number: 0…, 84… or +84…; spaces and dots are ignored",
        examples=["0912 345 678", "+84912345678"],
    ),
]
OtpCode = Annotated[
    str, msgspec.Meta(pattern=r"^[0-9]{6}$", description="The 6-digit code from the SMS")
]
Seconds = Annotated[int, msgspec.Meta(ge=0, description="Seconds")]
LanguagePreference = Annotated[
    Language,
    msgspec.Meta(
        description="The language of the account's SMS and notifications: Vietnamese (vi, the "
        "default) or English (en)"
    ),
]


class OtpRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    phone: Phone


class OtpSent(msgspec.Struct, frozen=True, omit_defaults=True):
    expires_in: Seconds
    resend_after: (
        Annotated[
            int,
            msgspec.Meta(
                ge=0,
                description="Present when this phone may not get another code yet: "
                "seconds until it may",
            ),
        ]
        | None
    ) = None
    dev_code: (
        Annotated[str, msgspec.Meta(description="Development and test only: the code itself")]
        | None
    ) = None


class OtpVerify(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    phone: Phone
    code: OtpCode


class RefreshRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    refresh_token: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class StaffLogin(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    # No control characters: PostgreSQL text cannot hold NUL, and no username has any.
    username: Annotated[
        str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")
    ]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]


class CitizenAccount(msgspec.Struct, frozen=True, tag_field="kind", tag="citizen"):
    id: uuid.UUID
    profile_complete: bool


class StaffAccount(msgspec.Struct, frozen=True, tag_field="kind", tag="staff"):
    id: uuid.UUID
    role: StaffRole
    unit_code: str | None
    agency_code: str | None


class TokenPair(msgspec.Struct, frozen=True):
    access_token: str
    expires_in: Seconds
    refresh_token: Annotated[
        str, msgspec.Meta(description="Single use: each refresh returns a new one")
    ]
    refresh_expires_in: Annotated[
        int, msgspec.Meta(ge=0, description="Seconds until the session ends; sign in again then")
    ]
    account: CitizenAccount | StaffAccount
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the scheme name, not a secret


class UnitRef(msgspec.Struct, frozen=True):
    code: str
    name_vi: str
    name_en: str


IdentityVerified = Annotated[
    bool,
    msgspec.Meta(
        description="An officer has checked the CCCD number, name and date of birth against the "
        "citizen's ID card; the citizen can no longer change those three"
    ),
]


class CitizenMe(msgspec.Struct, frozen=True, tag_field="kind", tag="citizen"):
    id: uuid.UUID
    phone: str
    profile_complete: bool
    identity_verified: IdentityVerified
    language: LanguagePreference


class StaffMe(msgspec.Struct, frozen=True, tag_field="kind", tag="staff"):
    id: uuid.UUID
    username: str
    full_name: str
    role: StaffRole
    unit: UnitRef | None
    agency_code: str | None
    language: LanguagePreference


class MeUpdate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The account's own settings; a member left out keeps its value."""

    language: LanguagePreference | msgspec.UnsetType = msgspec.UNSET


class AddressUpdate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    province_code: Annotated[str, msgspec.Meta(examples=["01"])]
    commune_code: Annotated[
        str, msgspec.Meta(description="A commune of the province", examples=["00004"])
    ]
    street: Annotated[str, msgspec.Meta(description="House number and street, 1–200 characters")]


class ProfileUpdate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The whole profile: a PUT replaces every field (an omitted email is cleared)."""

    full_name: Annotated[
        str,
        msgspec.Meta(
            description="2–100 characters: letters (with Vietnamese diacritics) and spaces",
            examples=["Nguyễn Thị Bình"],
        ),
    ]
    date_of_birth: Annotated[date, msgspec.Meta(description="In the past, from 1900 on")]
    gender: Gender
    citizen_id_number: Annotated[
        str,
        msgspec.Meta(
            description="12-digit CCCD; its 4th digit (century and gender) and 5th–6th digits "
            "(birth year) must agree with date_of_birth and gender",
            examples=["001090123456"],
        ),
    ]
    address: AddressUpdate
    email: str | None = None


class AddressRead(msgspec.Struct, frozen=True):
    province_code: str
    province_name_vi: str
    province_name_en: str
    commune_code: str
    commune_name_vi: str
    commune_name_en: str
    street: str


class ProfileRead(msgspec.Struct, frozen=True):
    id: uuid.UUID
    phone: str
    full_name: str | None
    date_of_birth: date | None
    gender: Gender | None
    citizen_id_number: str | None
    address: AddressRead | None
    email: str | None
    profile_complete: bool
    identity_verified: IdentityVerified


class UnitRead(msgspec.Struct, frozen=True):
    code: str
    name_vi: str
    name_en: str
    level: Level
    province_code: str
    commune_code: str | None


class AgencyRead(msgspec.Struct, frozen=True):
    code: str
    name_vi: str
    name_en: str
    level: Level
    province_code: str


class StaffUnitRead(msgspec.Struct, frozen=True):
    """Where the officer works. Agency administrators may have no unit, system
    administrators neither unit nor agency."""

    unit: UnitRead | None
    agency: AgencyRead | None


class CitizenAccountMatch(msgspec.Struct, frozen=True):
    """The one account holding both numbers an officer typed at the counter: enough to tell
    the citizen in front of the desk that their filing joins their account, nothing more."""

    name_masked: Annotated[
        str,
        msgspec.Meta(description="Initials only, e.g. 'N*** V*** A'", examples=["N*** V*** A"]),
    ]
    identity_verified: Annotated[
        bool, msgspec.Meta(description="Whether the account's identity was verified already")
    ]
