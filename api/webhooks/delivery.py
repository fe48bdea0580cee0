"""One attempt at a webhook message, and what its answer means.

The schedule is the Standard Webhooks one: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
14 h, 20 h and 24 h after each failure (±10 % jitter), ten attempts in all; then the message
is failed. Any 2xx delivers. Network errors, time-outs, 429 (its ``Retry-After`` honoured when
longer) and 5xx retry. 410 disables the endpoint. 3xx (redirects are not followed) and other
4xx fail at once. An endpoint that has failed every attempt for 5 days is disabled. Each
disabling is written to the audit log for the agency's admins.

The message's status, its attempt count and the attempt log live in PostgreSQL; the arq job
only carries the message id and its round (a replay starts a new round under a new job id).
A job for a finished message or an old round does nothing, so a job that runs twice after
delivering sends nothing more — except when a worker dies between the receiver's answer and
the write of it, when the receiver gets the same ``webhook-id`` again and drops it.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Literal

import asyncpg
import msgspec

from api.applications.events import decode_event
from api.clients.webhooks import Answer, WebhookSender
from api.notifications.notices import WEBHOOK_DISABLED, PushTarget, create_staff_notice
from api.webhooks.endpoint_slots import EndpointSlots
from api.webhooks.signing_secrets import SecretBox

RETRY_SCHEDULE_SECONDS: tuple[float, ...] = (
    0,
    5,
    300,
    1800,
    7200,
    18000,
    36000,
    50400,
    72000,
    86400,
)
JITTER = 0.1
FAILING_DISABLES_AFTER = timedelta(days=5)
MAX_RETRY_AFTER_SECONDS = 86400.0

Outcome = Literal["delivered", "retry", "failed", "gone"]


def outcome_of(answer: Answer) -> Outcome:
    code = answer.status_code
    if code is None:
        return "failed" if answer.unsafe_target else "retry"
    if 200 <= code < 300:
        return "delivered"
    if code == 410:
        return "gone"
    if code == 429 or code >= 500:
        return "retry"
    return "failed"


def next_wait(
    attempts_made: int, answer: Answer, schedule: Sequence[float] = RETRY_SCHEDULE_SECONDS
) -> float | None:
    """Seconds until the next attempt after ``attempts_made`` attempts, or None when the
    schedule is spent."""
    if attempts_made >= len(schedule):
        return None
    wait = schedule[attempts_made] * random.uniform(1 - JITTER, 1 + JITTER)  # noqa: S311
    if answer.status_code == 429 and answer.retry_after is not None:
        wait = max(wait, min(answer.retry_after, MAX_RETRY_AFTER_SECONDS))
    return wait


def webhook_body(event_type: str, seq: int, payload: dict[str, object]) -> str:
    """``{type, timestamp, data}``: ``data`` is the typed event (docs/events.md) as stored."""
    event = decode_event(event_type, seq, payload)
    data = msgspec.to_builtins(event)
    data.pop("type", None)
    return msgspec.json.encode(
        {"type": event_type, "timestamp": data["occurred_at"], "data": data}
    ).decode()


_LOAD = """
SELECT d.id, d.status, d.round, d.attempts, d.event_id, d.event_type,
       ev.seq, ev.payload,
       e.id AS endpoint_id, e.url, e.enabled, e.sealed_secret,
       CASE WHEN e.previous_secret_expires_at > now() THEN e.sealed_previous_secret END
           AS sealed_previous_secret
FROM webhook_deliveries d
JOIN webhook_endpoints e ON e.id = d.endpoint_id
JOIN events ev ON ev.id = d.event_id
WHERE d.id = $1
"""

_RECORD_ATTEMPT = """
INSERT INTO webhook_attempts (delivery_id, status_code, duration_ms, outcome, error,
                              response_excerpt)
VALUES ($1, $2, $3, $4, $5, $6)
"""


class Attempted(msgspec.Struct, frozen=True):
    """What the job does next: nothing (``wait`` None) or try again in ``wait`` seconds; and
    the pushes of the agency admins' notice to queue when the attempt disabled the endpoint."""

    outcome: Outcome | None
    wait: float | None = None
    pushes: tuple[PushTarget, ...] = ()
    # The endpoint had every slot taken (api/webhooks/endpoint_slots.py): nothing was sent;
    # the seconds until this job's turn to look again.
    busy_wait: float | None = None


async def attempt_delivery(
    pool: asyncpg.Pool,
    sender: WebhookSender,
    box: SecretBox,
    delivery_id: uuid.UUID,
    round_: int,
    *,
    schedule: Sequence[float] = RETRY_SCHEDULE_SECONDS,
    slots: EndpointSlots | None = None,
    endpoint_id: uuid.UUID | None = None,
) -> Attempted:
    """One attempt, unless the message is finished, of an older round, or its endpoint has
    every slot taken (``busy_wait``: the caller looks again then). Given the message's
    ``endpoint_id`` (the job carries it), a busy endpoint costs one Redis call and no query."""
    if slots is not None and endpoint_id is not None:
        holder = f"{delivery_id}:{round_}"
        busy_wait = await slots.take(endpoint_id, holder)
        if busy_wait is not None:
            return Attempted(None, busy_wait=busy_wait)
        try:
            return await _load_and_attempt(pool, sender, box, delivery_id, round_, schedule)
        finally:
            await slots.give_back(endpoint_id, holder)
    return await _load_and_attempt(pool, sender, box, delivery_id, round_, schedule, slots)


async def _load_and_attempt(
    pool: asyncpg.Pool,
    sender: WebhookSender,
    box: SecretBox,
    delivery_id: uuid.UUID,
    round_: int,
    schedule: Sequence[float],
    slots: EndpointSlots | None = None,
) -> Attempted:
    async with pool.acquire() as conn:
        row = await conn.fetchrow(_LOAD, delivery_id)
    if row is None or row["status"] != "pending" or row["round"] != round_:
        return Attempted(None)
    if not row["enabled"]:
        async with pool.acquire() as conn:
            await _finish(conn, delivery_id, round_, "failed", attempts=row["attempts"])
        return Attempted(None)
    if slots is None:
        return await _attempt(pool, sender, box, row, round_, schedule)
    holder = f"{delivery_id}:{round_}"
    busy_wait = await slots.take(row["endpoint_id"], holder)
    if busy_wait is not None:
        return Attempted(None, busy_wait=busy_wait)
    try:
        return await _attempt(pool, sender, box, row, round_, schedule)
    finally:
        await slots.give_back(row["endpoint_id"], holder)


async def _attempt(
    pool: asyncpg.Pool,
    sender: WebhookSender,
    box: SecretBox,
    row: asyncpg.Record,
    round_: int,
    schedule: Sequence[float],
) -> Attempted:
    delivery_id: uuid.UUID = row["id"]
    secrets = [box.open(row["sealed_secret"])]
    if row["sealed_previous_secret"] is not None:
        secrets.append(box.open(row["sealed_previous_secret"]))
    body = webhook_body(row["event_type"], row["seq"], dict(row["payload"]))
    answer = await sender.send(row["url"], secrets, str(row["event_id"]), body)
    outcome = outcome_of(answer)
    attempts = row["attempts"] + 1
    wait = next_wait(attempts, answer, schedule) if outcome == "retry" else None
    status = (
        "pending" if wait is not None else ("delivered" if outcome == "delivered" else "failed")
    )
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(
            _RECORD_ATTEMPT,
            delivery_id,
            answer.status_code,
            answer.duration_ms,
            outcome,
            answer.error,
            answer.excerpt,
        )
        await _finish(conn, delivery_id, round_, status, attempts=attempts)
        pushes = await _track_endpoint(conn, row["endpoint_id"], outcome)
    return Attempted(outcome, wait, tuple(pushes))


async def _finish(
    conn: asyncpg.Connection, delivery_id: uuid.UUID, round_: int, status: str, *, attempts: int
) -> None:
    await conn.execute(
        "UPDATE webhook_deliveries SET status = $3, attempts = $4, last_attempt_at = now(),"
        " finished_at = CASE WHEN $3 = 'pending' THEN NULL ELSE now() END"
        " WHERE id = $1 AND round = $2",
        delivery_id,
        round_,
        status,
        attempts,
    )


async def _track_endpoint(
    conn: asyncpg.Connection, endpoint_id: uuid.UUID, outcome: Outcome
) -> list[PushTarget]:
    """A success clears the endpoint's run of failures; 410, or failures for 5 days, disable it
    (the pushes of the admins' notice, to queue after the commit)."""
    if outcome == "delivered":
        await conn.execute(
            "UPDATE webhook_endpoints SET failing_since = NULL"
            " WHERE id = $1 AND failing_since IS NOT NULL",
            endpoint_id,
        )
        return []
    reason = "gone" if outcome == "gone" else None
    failing_since = await conn.fetchval(
        "UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, now())"
        " WHERE id = $1 RETURNING now() - failing_since",
        endpoint_id,
    )
    if reason is None and failing_since is not None and failing_since >= FAILING_DISABLES_AFTER:
        reason = "failing"
    if reason is None:
        return []
    return await disable_endpoint(conn, endpoint_id, reason)


_DISABLE = """
UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, updated_at = now()
WHERE id = $1 AND enabled
RETURNING agency_code, url
"""

_RECORD_DISABLED = """
INSERT INTO audit_log (actor_kind, actor_role, action, note)
VALUES ('system', 'system', 'agency.webhook.disabled', $1)
RETURNING id
"""

_AGENCY_ADMINS = "SELECT id FROM staff WHERE role = 'agency_admin' AND agency_code = $1 AND active"


async def disable_endpoint(
    conn: asyncpg.Connection, endpoint_id: uuid.UUID, reason: str
) -> list[PushTarget]:
    """Turn the endpoint off and tell its agency's admins: the audit log (action
    ``agency.webhook.disabled``, note = endpoint id and reason) and, in the same transaction,
    a ``webhook_disabled`` notice in each admin's inbox (one per disabling: its dedupe key is
    the audit row). Returns the notice's pushes, to queue after the commit."""
    disabled = await conn.fetchrow(_DISABLE, endpoint_id, reason)
    if disabled is None:
        return []
    audit_id = await conn.fetchval(_RECORD_DISABLED, f"{endpoint_id} {reason}")
    admins = [row["id"] for row in await conn.fetch(_AGENCY_ADMINS, disabled["agency_code"])]
    return await create_staff_notice(
        conn,
        kind=WEBHOOK_DISABLED,
        staff_ids=admins,
        dedupe_key=f"{WEBHOOK_DISABLED}:{audit_id}",
        params={"endpoint_id": str(endpoint_id), "url": disabled["url"], "reason": reason},
    )
