"""The application factory. ``create_app(settings)`` wires routes, errors and the lifespan
that owns every pool (PostgreSQL, Redis/arq, object storage)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.types import ASGIApp

from api.accounts.routes import ROUTES as ACCOUNT_ROUTES
from api.agency.routes import ROUTES as AGENCY_ROUTES
from api.applications.receipts import RECEIPT_NUMBERING_SESSION, ReceiptCodes
from api.applications.routes import ROUTES as APPLICATION_ROUTES
from api.catalogue.routes import ROUTES as CATALOGUE_ROUTES
from api.clients.webpush import load_vapid_keys
from api.core.actors import provide_actor
from api.core.caching import PERSONAL, etag_middleware
from api.core.db import FairPool, create_pool, request_connection, skip_session_reset
from api.core.jobs import job_pool
from api.core.logging import configure_logging, request_id_middleware
from api.core.options import answer_options
from api.core.outbox import RelayWaker
from api.core.problems import EXCEPTION_HANDLERS
from api.core.ratelimit import RateLimiter
from api.core.storage import ObjectStorage
from api.core.tokens import TokenSigner, otp_hash_key, receipt_check_key
from api.core.unit_of_work import unit_of_work_middleware
from api.documents.routes import ROUTES as DOCUMENT_ROUTES
from api.geo.controller import AdminUnitsController
from api.geo.directory import AdminUnits
from api.health.controller import health
from api.migrate import apply_migrations
from api.notifications.routes import ROUTES as NOTIFICATION_ROUTES
from api.push.routes import ROUTES as PUSH_ROUTES
from api.settings import Settings, load_settings
from api.sync.routes import ROUTES as SYNC_ROUTES
from api.tracking.front import tracking_in_front
from api.tracking.routes import ROUTES as TRACKING_ROUTES
from api.web.static import pwa_routes
from api.webhooks.routes import ROUTES as WEBHOOK_ROUTES
from api.webhooks.signing_secrets import SecretBox

logger = logging.getLogger("api")

API_PREFIX = "/api/v1"


def _lifespan(settings: Settings):  # type: ignore[no-untyped-def]
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        pool = FairPool(
            await create_pool(
                settings.database_url,
                min_size=settings.db_pool_min,
                max_size=settings.db_pool_max,
                reset=skip_session_reset,
            )
        )
        relay_waker = RelayWaker(pool)
        # Receipt numbers, each in a short transaction of its own that does not wait for its
        # WAL flush (api/applications/receipts.py says why that never reissues a number).
        receipt_pool = await create_pool(
            settings.database_url,
            min_size=1,
            max_size=2,
            reset=skip_session_reset,
            server_settings=RECEIPT_NUMBERING_SESSION,
        )
        receipt_codes: ReceiptCodes = app.state.receipt_codes
        receipt_codes.number_on(receipt_pool)
        redis = job_pool(settings.redis_url)
        rate_limiter = RateLimiter(settings.redis_url)
        storage = ObjectStorage(settings)
        try:
            async with pool.acquire() as conn:
                await apply_migrations(conn)
                app.state.admin_units = await AdminUnits.load(conn)
                # Loaded once: the public key handed to browsers never changes while running.
                app.state.vapid = await load_vapid_keys(conn, settings)
            try:
                await storage.ensure_bucket()
            except Exception as exc:  # storage may come up later; /health reports it
                logger.warning("object storage not ready", extra={"error": repr(exc)})
            app.state.db_pool = pool
            app.state.relay_waker = relay_waker
            app.state.redis = redis
            app.state.rate_limiter = rate_limiter
            app.state.storage = storage
            yield
        finally:
            await relay_waker.close()
            await rate_limiter.close()
            await redis.aclose()
            receipt_codes.number_on(None)
            await receipt_pool.close()
            await pool.close()

    return lifespan


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or load_settings()
    configure_logging(settings.log_level)
    # The API lives under one versioned prefix, declared here only; "/" stays free for the app.
    api_routes = Router(
        path=API_PREFIX,
        cache_control=PERSONAL,
        middleware=[etag_middleware],
        route_handlers=[
            AdminUnitsController,
            *CATALOGUE_ROUTES,
            *ACCOUNT_ROUTES,
            *APPLICATION_ROUTES,
            *DOCUMENT_ROUTES,
            *TRACKING_ROUTES,
            *PUSH_ROUTES,
            *NOTIFICATION_ROUTES,
            *AGENCY_ROUTES,
            *WEBHOOK_ROUTES,
            *SYNC_ROUTES,
        ],
    )
    return Litestar(
        route_handlers=[health, api_routes, *pwa_routes(settings.pwa_dir)],
        lifespan=[_lifespan(settings)],
        state=State(
            {
                "settings": settings,
                # Keys are derived once here, each for one purpose.
                "token_signer": TokenSigner(
                    settings.secret_key, settings.access_token_previous_keys
                ),
                "otp_hash_key": otp_hash_key(settings.secret_key),
                "receipt_codes": ReceiptCodes(receipt_check_key(settings.secret_key)),
                "webhook_box": SecretBox(settings.secret_key, settings.access_token_previous_keys),
            },
        ),
        dependencies={"db": Provide(request_connection), "actor": Provide(provide_actor)},
        middleware=[unit_of_work_middleware],
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=OpenAPIConfig(
            title="Một Cửa API",
            version="1.0.0",
            description=(
                "Dịch vụ công trực tuyến một cửa: tra cứu thủ tục, nộp hồ sơ, theo dõi tiến độ. "
                "Errors are RFC 9457 problem details; send Accept-Language: en for English."
            ),
            path="/schema",
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")
                }
            ),
        ),
        # Documents go straight to storage, so API bodies are small JSON.
        request_max_body_size=1_000_000,
        logging_config=None,
        debug=False,
    )


def create_asgi_app(settings: Settings | None = None) -> ASGIApp:
    """What servers run: the app wrapped so even unrouted requests get a request id and a log
    line (Litestar's own middleware only wraps matched routes), and found tracking answers
    are sent without going through Litestar."""
    app = create_app(settings)
    return request_id_middleware(tracking_in_front(answer_options(app), app.state, API_PREFIX))
