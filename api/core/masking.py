"""Personal data as shown where it must not appear in full: the applicant's name in public
tracking and the officer queue."""

from __future__ import annotations

import unicodedata


def mask_name(full_name: str | None) -> str:
    """'Nguyễn Văn An' → 'N*** V*** A': initials only, the given name's without asterisks."""
    words = unicodedata.normalize("NFC", full_name or "").split()
    if not words:
        return "***"
    initials = [word[0].upper() for word in words]
    return " ".join([*(initial + "***" for initial in initials[:-1]), initials[-1]])
