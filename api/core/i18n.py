"""Vietnamese first, English second: pick the response language from Accept-Language."""

from __future__ import annotations

from api.messages import Language


def preferred_language(accept_language: str | None) -> Language:
    """'vi' unless English is preferred over Vietnamese in the header's quality order."""
    if not accept_language:
        return "vi"
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, position, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        primary = tag.split("-")[0]
        if primary in ("vi", "en"):
            return "vi" if primary == "vi" else "en"
    return "vi"
