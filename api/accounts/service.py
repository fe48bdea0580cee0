"""Transitional: the names api.applications imported from here before accounts was split by
job (sign_in, profile, me, person_rules). Import from api.accounts.profile instead; this
module goes once nothing imports it."""

from __future__ import annotations

from api.accounts.profile import PROFILE_FIELD_NAMES, missing_profile_fields, profile_field_label

# (vi, en) label of each profile field, read from the catalogue (accounts.profile-fields.*).
PROFILE_FIELDS: dict[str, tuple[str, str]] = {
    name: (profile_field_label(name).render("vi"), profile_field_label(name).render("en"))
    for name in PROFILE_FIELD_NAMES
}

__all__ = ["PROFILE_FIELDS", "missing_profile_fields"]
