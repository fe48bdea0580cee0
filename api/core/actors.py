"""Who is calling: the actor, the guards that admit roles, and the one authorization rule.

Guards resolve the bearer credential once per request and leave the actor in the scope's
``user`` (Litestar's ``request.user``); handlers receive it through the ``actor`` dependency, or
read ``request.user`` when they take another dependency (``SignedInRequest``). The credential
is either an access token (a JWT whose session is checked to be live) or an agency API key
(``mc_live_…``, looked up by its hash, refused at once when revoked, rate-limited per key).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Literal

import asyncpg
import msgspec
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.handlers.base import BaseRouteHandler

from api.core.problems import Forbidden, Problem, Unauthenticated
from api.core.tokens import hash_secret

ActorKind = Literal["citizen", "staff", "api_key", "system"]
# "system": the scheduler's own jobs (the daily clean-up), never a signed-in person.
Role = Literal["citizen", "officer", "agency_admin", "system_admin", "agency_api", "system"]
STAFF_ROLES: frozenset[str] = frozenset({"officer", "agency_admin", "system_admin"})


class Actor(msgspec.Struct, frozen=True):
    kind: ActorKind
    id: uuid.UUID
    role: Role
    session_id: uuid.UUID | None = None
    unit_code: str | None = None
    agency_code: str | None = None


# Whether the session ``s`` (a row of auth_sessions) still admits its holder: every statement
# that checks a session says it this way.
SESSION_LIVE_SQL = "(s.revoked_at IS NULL AND s.expires_at > now())"

_ACTOR_FOR_SESSION = f"""
SELECT {SESSION_LIVE_SQL} AS live,
       st.role, st.unit_code, st.active,
       coalesce(st.agency_code, u.agency_code) AS agency_code
FROM auth_sessions s
LEFT JOIN staff st ON st.id = s.staff_id
LEFT JOIN units u ON u.code = st.unit_code
WHERE s.id = $1 AND (s.citizen_id = $2 OR s.staff_id = $2)
"""


# Agency API keys start with this, so a leaked key is recognisable (secret scanners) and is
# never mistaken for an access token.
API_KEY_PREFIX = "mc_live_"

_ACTOR_FOR_API_KEY = """
SELECT id, agency_code, last_used_at IS NULL OR last_used_at < now() - interval '1 minute' AS stale
FROM agency_api_keys WHERE secret_hash = $1 AND revoked_at IS NULL
"""
# "Last used" is kept to the minute, so a busy key does not write on every call.
_TOUCH_API_KEY = "UPDATE agency_api_keys SET last_used_at = now() WHERE id = $1"
API_KEY_BUCKET = "agency-api-key"
API_KEY_WINDOW_SECONDS = 60


def unauthenticated() -> Problem:
    return Unauthenticated()


def forbidden() -> Problem:
    return Forbidden()


# A route handler's ``opt`` key: its service confirms a citizen's session in the first read it
# sends (a ``session_live`` column, ``citizen_session_live_sql``) and refuses the request before
# anything else when it is not live, so the guard checks only the token's signature for
# citizens and the request saves a round trip. Staff are always read by the guard (their role
# and unit live in the database). tests/test_session_checked_by_handler.py proves every route
# carrying this key refuses a revoked session without writing.
CITIZEN_SESSION_CHECKED_BY_HANDLER = "citizen_session_checked_by_handler"


def citizen_session_live_sql(session_id: str, citizen_id: str) -> str:
    """A column saying whether the citizen's session is live, for a read that confirms it
    (CITIZEN_SESSION_CHECKED_BY_HANDLER): true, or false or NULL (revoked, expired, not the
    citizen's, or no session given). ``session_id``, ``citizen_id``: their parameters ($n)."""
    return (
        f"(SELECT {SESSION_LIVE_SQL} FROM auth_sessions s"
        f" WHERE s.id = {session_id} AND s.citizen_id = {citizen_id})"
    )


def citizen_session_of(actor: Actor) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """The parameters of ``citizen_session_live_sql``: a citizen's session and id, or NULLs."""
    if actor.kind == "citizen":
        return actor.session_id, actor.id
    return None, None


async def citizen_session_is_live(conn: asyncpg.Connection, actor: Actor) -> bool:
    """``citizen_session_live_sql`` on its own, for a handler whose confirming read found
    nothing (a missing row says nothing about the session)."""
    live: bool | None = await conn.fetchval(
        "SELECT " + citizen_session_live_sql("$1", "$2"), *citizen_session_of(actor)
    )
    return bool(live)


async def resolve_actor(
    connection: ASGIConnection[Any, Any, Any, Any],
    *,
    citizen_session_checked_by_handler: bool = False,
) -> Actor:
    cached = connection.scope.get("user")
    if isinstance(cached, Actor):
        return cached
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise unauthenticated()
    if token.startswith(API_KEY_PREFIX):
        actor = await _api_key_actor(connection, token.strip())
        connection.scope["user"] = actor
        return actor
    claims = connection.app.state.token_signer.verify(token.strip())
    if claims is None:
        raise unauthenticated()
    if claims.knd == "citizen":
        actor = Actor(kind="citizen", id=claims.sub, role="citizen", session_id=claims.sid)
        if not citizen_session_checked_by_handler:
            await _live_session(connection, claims.sid, claims.sub)
    else:
        row = await _live_session(connection, claims.sid, claims.sub)
        if not row["active"]:
            raise unauthenticated()
        actor = Actor(
            kind="staff",
            id=claims.sub,
            role=row["role"],
            session_id=claims.sid,
            unit_code=row["unit_code"],
            agency_code=row["agency_code"],
        )
    connection.scope["user"] = actor
    return actor


async def _live_session(
    connection: ASGIConnection[Any, Any, Any, Any], session_id: uuid.UUID, subject: uuid.UUID
) -> asyncpg.Record:
    """The session's row of ``_ACTOR_FOR_SESSION`` (with the staff member's role and unit), or
    401 when it is revoked, expired or not the subject's."""
    async with connection.app.state.db_pool.acquire() as conn:
        row = await conn.fetchrow(_ACTOR_FOR_SESSION, session_id, subject)
    if row is None or not row["live"]:
        raise unauthenticated()
    return row


async def _api_key_actor(connection: ASGIConnection[Any, Any, Any, Any], key: str) -> Actor:
    """The agency API key's actor (kind api_key, role agency_api); each call spends one request
    of the key's per-minute budget (429 with Retry-After when spent)."""
    async with connection.app.state.db_pool.acquire() as conn:
        row = await conn.fetchrow(_ACTOR_FOR_API_KEY, hash_secret(key))
        if row is None:
            raise unauthenticated()
        if row["stale"]:
            await conn.execute(_TOUCH_API_KEY, row["id"])
    await connection.app.state.rate_limiter.hit(
        API_KEY_BUCKET,
        str(row["id"]),
        limit=connection.app.state.settings.agency_api_key_limit,
        window_seconds=API_KEY_WINDOW_SECONDS,
    )
    return Actor(kind="api_key", id=row["id"], role="agency_api", agency_code=row["agency_code"])


Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


def require_roles(*roles: Role) -> Guard:
    allowed = frozenset(roles)

    async def guard(
        connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
    ) -> None:
        actor = await resolve_actor(
            connection,
            citizen_session_checked_by_handler=bool(
                handler.opt.get(CITIZEN_SESSION_CHECKED_BY_HANDLER)
            ),
        )
        if actor.role not in allowed:
            raise forbidden()

    guard.__name__ = "require_" + "_or_".join(roles)
    return guard


signed_in = require_roles("citizen", "officer", "agency_admin", "system_admin")
citizen_only = require_roles("citizen")
staff_only = require_roles("officer", "agency_admin", "system_admin")


# A request that passed one of the guards above: ``request.user`` is its actor. Handlers that
# take another dependency read it there rather than asking for ``actor`` beside it: two
# dependencies on the same level are resolved in an anyio task group, which cost ~7 % of a
# draft's CPU (docs/performance.md).
SignedInRequest = Request[Actor, Any, State]


async def provide_actor(request: Any) -> Actor:
    """Dependency: the actor a guard already resolved (or resolve it now)."""
    return await resolve_actor(request)


def can_act_for_unit(actor: Actor, unit_code: str, unit_agency_code: str) -> bool:
    """The one rule for staff and API keys: which units' files an actor may see and act on."""
    if actor.role == "system_admin":
        return True
    if actor.role == "officer":
        return actor.unit_code == unit_code
    if actor.role in ("agency_admin", "agency_api"):
        return actor.agency_code == unit_agency_code
    return False


def can_access_application(
    actor: Actor, *, citizen_id: uuid.UUID | None, unit_code: str, unit_agency_code: str
) -> bool:
    """Citizens reach their own applications; the system (scheduled jobs) every one; everyone
    else goes through the unit rule."""
    if actor.kind == "system":
        return True
    if actor.kind == "citizen":
        return citizen_id is not None and citizen_id == actor.id
    return can_act_for_unit(actor, unit_code, unit_agency_code)
