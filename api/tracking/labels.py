"""Public names of application statuses (api/messages/statuses.toml). Shared with the
applications feature so the officer screens, notifications and public tracking all say the
same thing."""

from __future__ import annotations

from api.messages import Message, catalogue


def status_message(status: str) -> Message:
    """The status's public name; an unknown status is shown as itself rather than failing."""
    key = f"statuses.{status}"
    # Every entry gets the status, so the fallback (which shows it) can stand in for any.
    return Message(key if key in catalogue() else "statuses.unlisted", {"status": status})
