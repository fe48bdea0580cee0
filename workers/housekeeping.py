"""Housekeeping on a schedule.

- The staging sweep every ten minutes, so a file posted to a spent upload form is gone within
  ten minutes, and an abandoned upload's file within twenty after its window closed (the
  sweep's grace plus its interval).
- The daily clean-up: expired one-time codes and sign-in sessions (api/accounts/cleanup.py),
  drafts untouched for 30 days, withdrawn by the system with their documents deleted
  (api/applications/drafts_cleanup.py), and push subscriptions refused for good and silent
  since (api/push/cleanup.py), and offline sync leftovers: uploads never attached and receipt
  codes never used, once an outbox can no longer need them (api/sync/cleanup.py).
- The hourly purge of staff sign-in failures nobody has repeated for a day.
"""

from __future__ import annotations

import logging
from typing import Any

import msgspec
from arq import cron

from api.accounts.cleanup import purge_expired_sign_in
from api.accounts.repository import LoginThrottleRepository
from api.applications.drafts_cleanup import purge_stale_drafts
from api.applications.receipts import ReceiptCodes
from api.core.tokens import receipt_check_key
from api.documents.cleanup import SweepResult, sweep_staging_uploads
from api.push.cleanup import purge_failed_subscriptions
from api.settings import Settings
from api.sync.cleanup import purge_sync_leftovers

logger = logging.getLogger("workers.housekeeping")


async def sweep_uploads(ctx: dict[str, Any]) -> SweepResult:
    result = await sweep_staging_uploads(ctx["db_pool"], ctx["storage"])
    if result.abandoned or result.deleted:
        logger.info(
            "staging uploads swept",
            extra={"abandoned": result.abandoned, "deleted": result.deleted},
        )
    return result


async def purge_login_throttle(ctx: dict[str, Any]) -> int:
    async with ctx["db_pool"].acquire() as conn:
        purged = await LoginThrottleRepository(conn).purge_stale()
    if purged:
        logger.info("stale sign-in failures purged", extra={"count": purged})
    return purged


class DailyCleanup(msgspec.Struct, frozen=True):
    otps: int
    sessions: int
    drafts_withdrawn: int
    documents_deleted: int
    subscriptions: int
    sync_uploads: int
    receipt_codes: int
    receipt_blocks: int


async def daily_cleanup(ctx: dict[str, Any]) -> DailyCleanup:
    settings: Settings = ctx["settings"]
    pool = ctx["db_pool"]
    sign_in = await purge_expired_sign_in(
        pool,
        otp_window_seconds=max(
            settings.otp_per_phone_window_seconds, settings.otp_per_ip_window_seconds
        ),
    )
    drafts = await purge_stale_drafts(
        pool, ctx["storage"], ReceiptCodes(receipt_check_key(settings.secret_key))
    )
    subscriptions = await purge_failed_subscriptions(pool)
    sync = await purge_sync_leftovers(pool)
    result = DailyCleanup(
        otps=sign_in.otps,
        sessions=sign_in.sessions,
        drafts_withdrawn=drafts.withdrawn,
        documents_deleted=drafts.documents_deleted,
        subscriptions=subscriptions,
        sync_uploads=sync.uploads,
        receipt_codes=sync.receipt_codes,
        receipt_blocks=sync.receipt_blocks,
    )
    logger.info("daily clean-up", extra=msgspec.to_builtins(result))
    return result


FUNCTIONS: list[Any] = []
CRON_JOBS = [
    cron(sweep_uploads, minute=set(range(7, 60, 10)), unique=True),
    cron(purge_login_throttle, minute=47, unique=True),
    # 03:40 in Vietnam (WorkerSettings.timezone): the quietest hour.
    cron(daily_cleanup, hour=3, minute=40, unique=True, timeout=1800),
]
