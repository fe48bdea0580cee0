"""Who holds an application for offline work: the shape read models share (the pull's record,
the officer's application view and queue). Kept apart from api/sync/schemas.py so the
applications read model can name it without importing the sync feature."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec


class LeaseHolder(msgspec.Struct, frozen=True):
    """Who holds an application for offline work, and until when (what others see)."""

    lease_id: uuid.UUID
    holder_id: Annotated[uuid.UUID, msgspec.Meta(description="The holding officer's staff id")]
    holder_name: str
    expires_at: datetime
