"""All configuration, read from environment variables with safe local defaults.

The README's "Configuration" table documents every variable here; keep them in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

Environment = Literal["development", "test", "production"]

_DEV_SECRET = "dev-only-secret-key-change-me-0123456789abcdef"  # noqa: S105


class SettingsError(RuntimeError):
    """Raised at start-up when configuration is missing or unsafe."""


@dataclass(frozen=True, slots=True)
class Settings:
    app_env: Environment = "development"
    database_url: str = "postgresql://postgres@127.0.0.1:5432/motcua"
    redis_url: str = "redis://127.0.0.1:6379/0"
    s3_endpoint: str = "http://127.0.0.1:9000"
    # What phones use to reach storage for presigned URLs; differs behind a proxy.
    s3_public_endpoint: str = "http://127.0.0.1:9000"
    s3_access_key: str = "motcua-local"
    s3_secret_key: str = "motcua-local-secret"  # noqa: S105
    s3_bucket: str = "motcua-documents"
    s3_region: str = "us-east-1"
    secret_key: str = _DEV_SECRET
    # Earlier SECRET_KEY values whose access tokens are still accepted (rotation).
    access_token_previous_keys: tuple[str, ...] = ()
    sms_gateway_url: str = ""
    sms_gateway_token: str = ""
    # Web Push (VAPID, RFC 8292): the application server's P-256 key (PEM, or the raw 32-byte
    # scalar in base64url) and the contact the push services see. Outside production an empty
    # key means "generate one once and keep it in the database".
    vapid_private_key: str = ""
    vapid_subject: str = "mailto:dev@motcua.invalid"
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    otp_ttl_seconds: int = 300
    otp_max_attempts: int = 5
    otp_per_phone_limit: int = 3
    otp_per_phone_window_seconds: int = 900
    otp_per_ip_limit: int = 20
    otp_per_ip_window_seconds: int = 900
    track_per_ip_limit: int = 30
    track_per_ip_window_seconds: int = 60
    # Counter look-ups of a citizen account (CCCD + phone) per staff member per hour.
    citizen_lookup_limit: int = 30
    citizen_lookup_window_seconds: int = 3600
    # Calls per agency API key per minute.
    agency_api_key_limit: int = 600
    upload_url_ttl_seconds: int = 600
    download_url_ttl_seconds: int = 300
    max_document_bytes: int = 10 * 1024 * 1024
    # Uploaded files checked (decoded, re-encoded) at once per process; the rest queue.
    max_concurrent_inspections: int = 2
    db_pool_min: int = 1
    db_pool_max: int = 10
    log_level: str = "INFO"
    # The built citizen app (pwa/dist, made by `npm run build`), served at "/".
    pwa_dir: str = str(Path(__file__).resolve().parent.parent / "pwa" / "dist")

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"

    @property
    def exposes_dev_codes(self) -> bool:
        """OTP codes are shown in responses only where no real SMS is sent."""
        return self.app_env in ("development", "test")

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def _int(env: dict[str, str], name: str, default: int, *, minimum: int = 1) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from exc
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


def _list(env: dict[str, str], name: str) -> tuple[str, ...]:
    """A comma-separated list; blanks around and between items are dropped."""
    return tuple(item.strip() for item in env.get(name, "").split(",") if item.strip())


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build settings from the environment; refuse unsafe production configuration."""
    env = dict(os.environ if env is None else env)
    defaults = Settings()
    app_env = env.get("APP_ENV", defaults.app_env)
    if app_env not in ("development", "test", "production"):
        raise SettingsError(f"APP_ENV must be development, test or production, got {app_env!r}")
    s3_endpoint = env.get("S3_ENDPOINT") or defaults.s3_endpoint
    settings = Settings(
        app_env=app_env,  # type: ignore[arg-type]
        database_url=env.get("DATABASE_URL") or defaults.database_url,
        redis_url=env.get("REDIS_URL") or defaults.redis_url,
        s3_endpoint=s3_endpoint,
        s3_public_endpoint=env.get("S3_PUBLIC_ENDPOINT") or s3_endpoint,
        s3_access_key=env.get("S3_ACCESS_KEY") or defaults.s3_access_key,
        s3_secret_key=env.get("S3_SECRET_KEY") or defaults.s3_secret_key,
        s3_bucket=env.get("S3_BUCKET") or defaults.s3_bucket,
        s3_region=env.get("S3_REGION") or defaults.s3_region,
        secret_key=env.get("SECRET_KEY") or defaults.secret_key,
        access_token_previous_keys=_list(env, "ACCESS_TOKEN_PREVIOUS_KEYS"),
        sms_gateway_url=env.get("SMS_GATEWAY_URL", ""),
        sms_gateway_token=env.get("SMS_GATEWAY_TOKEN", ""),
        vapid_private_key=env.get("VAPID_PRIVATE_KEY", ""),
        vapid_subject=env.get("VAPID_SUBJECT") or defaults.vapid_subject,
        access_token_ttl_seconds=_int(env, "ACCESS_TOKEN_TTL_SECONDS", 900),
        refresh_token_ttl_seconds=_int(env, "REFRESH_TOKEN_TTL_SECONDS", 30 * 24 * 3600),
        otp_per_ip_limit=_int(env, "OTP_PER_IP_LIMIT", defaults.otp_per_ip_limit),
        track_per_ip_limit=_int(env, "TRACK_PER_IP_LIMIT", defaults.track_per_ip_limit),
        citizen_lookup_limit=_int(env, "CITIZEN_LOOKUP_LIMIT", defaults.citizen_lookup_limit),
        agency_api_key_limit=_int(env, "AGENCY_API_KEY_LIMIT", defaults.agency_api_key_limit),
        max_document_bytes=_int(env, "MAX_DOCUMENT_BYTES", defaults.max_document_bytes),
        max_concurrent_inspections=_int(
            env, "MAX_CONCURRENT_INSPECTIONS", defaults.max_concurrent_inspections
        ),
        db_pool_min=_int(env, "DB_POOL_MIN", defaults.db_pool_min, minimum=0),
        db_pool_max=_int(env, "DB_POOL_MAX", defaults.db_pool_max),
        log_level=env.get("LOG_LEVEL") or defaults.log_level,
        pwa_dir=env.get("PWA_DIR") or defaults.pwa_dir,
    )
    if not settings.vapid_subject.startswith(("mailto:", "https://")):
        raise SettingsError("VAPID_SUBJECT must be a mailto: or https: URL")
    if settings.db_pool_min > settings.db_pool_max:
        raise SettingsError("DB_POOL_MIN must not be greater than DB_POOL_MAX")
    if settings.is_production:
        _check_production(env, settings)
    return settings


def _check_production(env: dict[str, str], settings: Settings) -> None:
    required = [
        "DATABASE_URL",
        "REDIS_URL",
        "S3_ENDPOINT",
        "S3_ACCESS_KEY",
        "S3_SECRET_KEY",
        "SECRET_KEY",
        "SMS_GATEWAY_URL",
        "SMS_GATEWAY_TOKEN",
        "VAPID_PRIVATE_KEY",
        "VAPID_SUBJECT",
    ]
    missing = [name for name in required if not env.get(name)]
    if missing:
        raise SettingsError(
            "APP_ENV=production needs these environment variables: " + ", ".join(missing)
        )
    if len(settings.secret_key) < 32 or settings.secret_key == _DEV_SECRET:
        raise SettingsError("SECRET_KEY must be a random string of at least 32 characters")
    from api.clients.webpush import VapidKeyError, parse_vapid_private_key

    try:
        parse_vapid_private_key(settings.vapid_private_key)
    except VapidKeyError as exc:
        raise SettingsError(
            "VAPID_PRIVATE_KEY must be a P-256 key in PEM or the raw 32-byte key in base64url"
        ) from exc
    if any(len(key) < 32 or key == _DEV_SECRET for key in settings.access_token_previous_keys):
        raise SettingsError(
            "every ACCESS_TOKEN_PREVIOUS_KEYS entry must be a random string of at least "
            "32 characters (an earlier SECRET_KEY)"
        )
