from __future__ import annotations

from typing import Any

import asyncpg
from litestar import Controller, Request, delete, get, post
from litestar.datastructures import State

from api.core.actors import Actor, signed_in
from api.core.caching import PUBLIC_REFERENCE
from api.core.problems import problem_responses
from api.push.schemas import (
    SubscriptionCreate,
    SubscriptionDelete,
    SubscriptionList,
    SubscriptionRead,
    VapidPublicKey,
)
from api.push.service import PushService

_BEARER: list[dict[str, list[str]]] = [{"bearer": []}]


def _service(db: asyncpg.Connection, state: State) -> PushService:
    return PushService(db, state.settings)


class PushController(Controller):
    path = "/push"
    tags = ["Notifications"]

    @get(
        "/vapid-public-key",
        cache_control=PUBLIC_REFERENCE,
        summary="The application server key browsers subscribe with (Web Push, VAPID)",
        description="base64url of the uncompressed P-256 point; pass it to "
        "`pushManager.subscribe({applicationServerKey})`.",
    )
    async def vapid_public_key(self, state: State) -> VapidPublicKey:
        return VapidPublicKey(public_key=state.vapid.public_key)

    @post(
        "/subscriptions",
        status_code=201,
        guards=[signed_in],
        security=_BEARER,
        summary="Register this browser for push messages (the same endpoint again is one "
        "subscription; it moves to whoever signed in on the browser last)",
        description="The body is `PushSubscription.toJSON()`. Endpoints are https (in "
        "development and test also http on loopback); `p256dh` is a P-256 point (65 bytes) "
        "and `auth` 16 bytes, both base64url.",
        responses=problem_responses(400, 401, 403, 422),
    )
    async def subscribe(
        self,
        data: SubscriptionCreate,
        request: Request[Any, Any, Any],
        actor: Actor,
        state: State,
        db: asyncpg.Connection,
    ) -> SubscriptionRead:
        return await _service(db, state).subscribe(actor, data, request.headers.get("user-agent"))

    @delete(
        "/subscriptions",
        status_code=204,
        guards=[signed_in],
        security=_BEARER,
        summary="Stop push messages to this browser (nothing happens for an unknown endpoint)",
        responses=problem_responses(400, 401, 403, 422),
    )
    async def unsubscribe(
        self, data: SubscriptionDelete, actor: Actor, state: State, db: asyncpg.Connection
    ) -> None:
        await _service(db, state).unsubscribe(actor, data.endpoint)

    @get(
        "/subscriptions",
        guards=[signed_in],
        security=_BEARER,
        summary="The caller's browsers that receive push messages",
        responses=problem_responses(401, 403),
    )
    async def devices(self, actor: Actor, state: State, db: asyncpg.Connection) -> SubscriptionList:
        return await _service(db, state).devices(actor)
