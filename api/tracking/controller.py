"""Sign-in-free endpoints: progress of one application by receipt code, and public statistics.

Tracking is rate-limited per client address twice over: every look-up spends the general
budget, and look-ups that find nothing also spend a much smaller one. Once either is used up
every look-up is refused, so a 200 never tells an enumerator more than a 404 would.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import asyncpg
from litestar import Controller, Request, Response, get
from litestar.datastructures import CacheControlHeader, State
from litestar.params import Parameter

from api.core.caching import PUBLIC_PROGRESS, Remembered, RenderedAnswer, remembered_answers
from api.core.problems import NotFound, problem_responses
from api.core.ratelimit import Budget, client_address
from api.settings import Settings
from api.tracking.schemas import PublicStatsRead, TrackingRead
from api.tracking.service import StatsService, TrackingService, normalise_receipt_code

TRACK_MISS_LIMIT = 10
TRACK_MISS_WINDOW_SECONDS = 600
# Found answers are remembered per process no longer than shared caches may keep them, so a
# status change shows up as soon as it would through any cache. They are remembered rendered
# (the JSON body and its ETag), so a repeated code costs neither the database, nor encoding,
# nor hashing. The answer is the same for everyone (no personal data beyond the masked name,
# both languages in it). Look-ups that find nothing are never remembered (they reach the
# database and spend the failed-look-up budget), and budgets are charged before any answer is
# sent, remembered or not (api/tracking/front.py sends found ones before Litestar).
RECENT_TRACKING_SECONDS = float(PUBLIC_PROGRESS.max_age or 0)


def recent_tracking(state: State) -> Remembered[str, RenderedAnswer]:
    """The process's memory of found answers (``TrackingRead`` rendered), by normalised
    receipt code."""
    return remembered_answers(state, "recent_tracking", RECENT_TRACKING_SECONDS)


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


# Request-state keys set in api.tracking.front: the exception charging the budgets raised
# there; True when the budgets were charged there.
CHARGE_FAILED = "tracking_charge_failed"
ALREADY_CHARGED = "tracking_already_charged"


async def charge_tracking_budgets(state: State, address: str) -> None:
    """One round trip: spend the general budget, look at the failed-look-up one (429 if either
    is used up)."""
    settings: Settings = state.settings
    await state.rate_limiter.charge(
        Budget(
            "track-ip", address, settings.track_per_ip_limit, settings.track_per_ip_window_seconds
        ),
        Budget("track-miss-ip", address, TRACK_MISS_LIMIT, TRACK_MISS_WINDOW_SECONDS, spend=False),
    )


async def found_answer(state: State, code: str) -> RenderedAnswer | None:
    """The rendered answer for a normalised receipt code: remembered, or read from the
    database and remembered; None if no application has the code."""
    recent = recent_tracking(state)
    answer = recent.get(code)
    if answer is None:
        async with state.db_pool.acquire() as db:
            tracked = await TrackingService(db).track(code)
        if tracked is None:
            return None
        answer = RenderedAnswer.of(tracked)
        recent.put(tracked.receipt_code, answer)
    return answer


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
        self, request: Request[Any, Any, State], receipt_code: str
    ) -> Response[TrackingRead]:
        state = request.app.state
        address = client_address(request)
        handed = request.scope.get("state", {})
        failed = handed.pop(CHARGE_FAILED, None)
        if failed is not None:
            raise failed  # charged once already, in front of the route (429 or Redis error)
        if not handed.pop(ALREADY_CHARGED, False):
            await charge_tracking_budgets(state, address)
        code = normalise_receipt_code(receipt_code)
        answer = await found_answer(state, code) if code else None
        if answer is None:
            await state.rate_limiter.hit(
                "track-miss-ip",
                address,
                limit=TRACK_MISS_LIMIT,
                window_seconds=TRACK_MISS_WINDOW_SECONDS,
            )
            raise NotFound(entry="tracking.problems.receipt-not-found")
        return answer.response()


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
