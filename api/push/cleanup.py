"""Daily clean-up of push subscriptions the push service refused for good (``failed_at``) and
that delivered nothing since, ``days`` after the refusal. A subscription that delivers again
has ``failed_at`` cleared by the push job, so it stays."""

from __future__ import annotations

import asyncpg

FAILED_SUBSCRIPTION_DAYS = 7

_FAILED = """
DELETE FROM push_subscriptions
WHERE failed_at < now() - make_interval(days => $1)
  AND (last_success_at IS NULL OR last_success_at < failed_at)
"""


async def purge_failed_subscriptions(
    pool: asyncpg.Pool, *, days: int = FAILED_SUBSCRIPTION_DAYS
) -> int:
    async with pool.acquire() as conn:
        status = await conn.execute(_FAILED, days)
    return int(status.split()[-1])
