from __future__ import annotations

from typing import Annotated

import asyncpg
from litestar import Controller, get, post
from litestar.params import Parameter

from api.core.actors import Actor, signed_in
from api.core.problems import problem_responses
from api.notifications.schemas import MarkedRead, MarkRead, NotificationPage
from api.notifications.service import InboxService


class InboxController(Controller):
    path = "/me/notifications"
    tags = ["Notifications"]
    security = [{"bearer": []}]

    @get(
        "/",
        guards=[signed_in],
        summary="My notifications, newest first (everything a push message said, and more)",
        description="Titles and bodies are in the language of the account's profile.",
        responses=problem_responses(400, 401, 403, 422, notes={400: "Malformed request"}),
    )
    async def inbox(
        self,
        actor: Actor,
        db: asyncpg.Connection,
        cursor: Annotated[str | None, Parameter(max_length=200)] = None,
        unread: bool = False,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
    ) -> NotificationPage:
        return await InboxService(db).page(actor, cursor=cursor, unread_only=unread, limit=limit)

    @post(
        "/read",
        status_code=200,
        guards=[signed_in],
        summary="Mark notifications read: `{ids: [...]}` or `{all: true}`",
        responses=problem_responses(400, 401, 403, 422),
    )
    async def mark_read(self, data: MarkRead, actor: Actor, db: asyncpg.Connection) -> MarkedRead:
        return await InboxService(db).mark_read(actor, data)
