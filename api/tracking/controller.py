"""Sign-in-free endpoints: progress of one application by receipt code, and public statistics.

Tracking is rate-limited per client address twice over: every look-up spends the general
budget, and look-ups that find nothing also spend a much smaller one. Once either is used up
every look-up is refused, so a 200 never tells an enumerator more than a 404 would.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import asyncpg
from litestar import Controller, Request, get
from litestar.datastructures import CacheControlHeader, State
from litestar.params import Parameter

from api.core.caching import PUBLIC_PROGRESS
from api.core.problems import NotFound, problem_responses
from api.core.ratelimit import client_address
from api.settings import Settings
from api.tracking.schemas import PublicStatsRead, TrackingRead
from api.tracking.service import StatsService, TrackingService

TRACK_MISS_LIMIT = 10
TRACK_MISS_WINDOW_SECONDS = 600

UnitCode = Annotated[
    str | None,
    Parameter(pattern=r"^[A-Z0-9]{3,10}$", description="Unit code, e.g. 02683 or P15"),
]


async def _count_request(request: Request[Any, Any, State], bucket: str) -> None:
    """Spend one request of the client address's budget for ``bucket`` (429 once used up)."""
    settings: Settings = request.app.state.settings
    await request.app.state.rate_limiter.hit(
        bucket,
        client_address(request),
        limit=settings.track_per_ip_limit,
        window_seconds=settings.track_per_ip_window_seconds,
    )


class TrackingController(Controller):
    path = "/track"
    tags = ["Public tracking"]
    cache_control = PUBLIC_PROGRESS

    @get(
        "/{receipt_code:str}",
        summary="Progress of an application by its receipt code (no sign-in)",
        description=(
            "Trạng thái, hạn giải quyết và các mốc xử lý của hồ sơ; chỉ hiện tên viết tắt của "
            "người nộp. Unknown and malformed codes both answer 404; look-ups are rate-limited "
            "per client address, failed ones more strictly."
        ),
        cache_control=CacheControlHeader(no_store=True),
        responses=problem_responses(
            400,
            404,
            429,
            503,
            notes={
                400: "Malformed request",
                404: "No application has this receipt code, or it is not a receipt code "
                "(not-found)",
                429: "Too many look-ups, or too many that found nothing, from this address "
                "(rate-limited); see Retry-After",
            },
        ),
    )
    async def track(
        self, request: Request[Any, Any, State], db: asyncpg.Connection, receipt_code: str
    ) -> TrackingRead:
        await _count_request(request, "track-ip")
        limiter = request.app.state.rate_limiter
        address = client_address(request)
        await limiter.check(
            "track-miss-ip",
            address,
            limit=TRACK_MISS_LIMIT,
            window_seconds=TRACK_MISS_WINDOW_SECONDS,
        )
        tracked = await TrackingService(db).track(receipt_code)
        if tracked is None:
            await limiter.hit(
                "track-miss-ip",
                address,
                limit=TRACK_MISS_LIMIT,
                window_seconds=TRACK_MISS_WINDOW_SECONDS,
            )
            raise NotFound(entry="tracking.problems.receipt-not-found")
        return tracked


class PublicStatsController(Controller):
    path = "/stats"
    tags = ["Public statistics"]
    cache_control = PUBLIC_PROGRESS

    @get(
        "/public",
        summary="Applications received, completed on time and overdue, per unit and procedure",
        description=(
            "Số liệu tổng hợp công khai (không có dữ liệu cá nhân). Period: Vietnam dates "
            "`from`..`to` inclusive, by default the last 30 days, at most 366 days. received = "
            "received in the period; completed = processing finished in the period (result "
            "issued or rejected), on time when finished on or before the due date; overdue_now = "
            "open, not waiting for supplements and past the due date today, whatever the period; "
            "online_share = share of the received filed online (including offline-synced)."
        ),
        cache_control=CacheControlHeader(max_age=60),
        responses=problem_responses(
            400,
            422,
            429,
            503,
            notes={
                400: "Malformed request",
                422: "Invalid dates or unit, an unknown unit, `to` before `from` or a period "
                "over 366 days (validation-failed)",
            },
        ),
    )
    async def public_stats(
        self,
        request: Request[Any, Any, State],
        db: asyncpg.Connection,
        period_from: Annotated[date | None, Parameter(query="from")] = None,
        period_to: Annotated[date | None, Parameter(query="to")] = None,
        unit: UnitCode = None,
    ) -> PublicStatsRead:
        # Each distinct period costs a full aggregate, so callers are limited like tracking.
        await _count_request(request, "stats-ip")
        return await StatsService(db, request.app.state.redis).public_stats(
            period_from, period_to, unit
        )
