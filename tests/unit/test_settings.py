"""Configuration from the environment: safe local defaults, and a production start-up that
refuses to run without its secrets."""

from __future__ import annotations

import pytest

from api.settings import Settings, SettingsError, load_settings

PRODUCTION: dict[str, str] = {
    "APP_ENV": "production",
    "DATABASE_URL": "postgresql://motcua@db.internal:5432/motcua",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "S3_ENDPOINT": "https://s3.internal",
    "S3_ACCESS_KEY": "access",
    "S3_SECRET_KEY": "secret",
    "SECRET_KEY": "k" * 48,
    "SMS_GATEWAY_URL": "https://sms.example.vn/send",
    "SMS_GATEWAY_TOKEN": "token",
    # A raw P-256 private key (base64url of 32 bytes), made for this test only.
    "VAPID_PRIVATE_KEY": "7x1Zb2T4qgT2q6m3f0yq9iR8H2Lk1kq6lqv0bUo3T1E",
    "VAPID_SUBJECT": "mailto:ops@motcua.example.vn",
}


def test_an_empty_environment_gives_the_local_development_defaults() -> None:
    settings = load_settings({})
    assert settings == Settings()
    assert settings.app_env == "development"
    assert settings.exposes_dev_codes and not settings.is_production
    assert settings.database_url.startswith("postgresql://") and "127.0.0.1" in settings.redis_url
    assert (settings.otp_ttl_seconds, settings.otp_max_attempts) == (300, 5)
    assert (settings.otp_per_phone_limit, settings.otp_per_phone_window_seconds) == (3, 900)


def test_variables_are_read_and_the_public_endpoint_defaults_to_the_internal_one() -> None:
    settings = load_settings(
        {"APP_ENV": "test", "S3_ENDPOINT": "http://minio:9000", "OTP_PER_IP_LIMIT": "7"}
    )
    assert settings.app_env == "test" and settings.exposes_dev_codes
    assert settings.s3_public_endpoint == "http://minio:9000"
    assert settings.otp_per_ip_limit == 7
    both = load_settings({"S3_ENDPOINT": "http://minio:9000", "S3_PUBLIC_ENDPOINT": "https://f"})
    assert both.s3_public_endpoint == "https://f"


def test_production_with_every_secret_starts_and_never_shows_codes() -> None:
    settings = load_settings(PRODUCTION)
    assert settings.is_production and not settings.exposes_dev_codes
    assert settings.sms_gateway_url == "https://sms.example.vn/send"
    assert settings.secret_key == "k" * 48


def test_production_names_every_missing_secret() -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings({"APP_ENV": "production"})
    message = str(refused.value)
    assert message.startswith("APP_ENV=production needs these environment variables:")
    for name in PRODUCTION.keys() - {"APP_ENV"}:
        assert name in message
    without_sms = {k: v for k, v in PRODUCTION.items() if not k.startswith("SMS_")}
    with pytest.raises(SettingsError, match="VAPID_PRIVATE_KEY must be a P-256 key"):
        load_settings({**PRODUCTION, "VAPID_PRIVATE_KEY": "not-a-key"})
    with pytest.raises(SettingsError, match="VAPID_SUBJECT must be a mailto: or https: URL"):
        load_settings({**PRODUCTION, "VAPID_SUBJECT": "ops@motcua.example.vn"})
    with pytest.raises(SettingsError, match=r"SMS_GATEWAY_URL, SMS_GATEWAY_TOKEN$"):
        load_settings(without_sms)
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        load_settings({**PRODUCTION, "SECRET_KEY": ""})


@pytest.mark.parametrize("secret", ["too-short", "dev-only-secret-key-change-me-0123456789abcdef"])
def test_production_refuses_a_weak_or_development_secret_key(secret: str) -> None:
    with pytest.raises(SettingsError, match="SECRET_KEY must be a random string"):
        load_settings({**PRODUCTION, "SECRET_KEY": secret})


def test_previous_access_token_keys_are_a_comma_separated_list() -> None:
    assert load_settings({}).access_token_previous_keys == ()
    settings = load_settings({"ACCESS_TOKEN_PREVIOUS_KEYS": " " + "a" * 40 + " ,, " + "b" * 40})
    assert settings.access_token_previous_keys == ("a" * 40, "b" * 40)
    rotated = load_settings({**PRODUCTION, "ACCESS_TOKEN_PREVIOUS_KEYS": "o" * 40})
    assert rotated.access_token_previous_keys == ("o" * 40,)
    with pytest.raises(SettingsError, match="ACCESS_TOKEN_PREVIOUS_KEYS"):
        load_settings({**PRODUCTION, "ACCESS_TOKEN_PREVIOUS_KEYS": "o" * 40 + ",short"})


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"APP_ENV": "staging"}, "APP_ENV must be development, test or production"),
        ({"ACCESS_TOKEN_TTL_SECONDS": "15m"}, "ACCESS_TOKEN_TTL_SECONDS must be an integer"),
        ({"ACCESS_TOKEN_TTL_SECONDS": "0"}, "ACCESS_TOKEN_TTL_SECONDS must be at least 1"),
        ({"OTP_PER_IP_LIMIT": "-5"}, "OTP_PER_IP_LIMIT must be at least 1"),
        ({"DB_POOL_MIN": "20", "DB_POOL_MAX": "5"}, "DB_POOL_MIN must not be greater"),
    ],
)
def test_unusable_values_stop_start_up_with_a_clear_message(
    env: dict[str, str], complaint: str
) -> None:
    with pytest.raises(SettingsError, match=complaint):
        load_settings(env)


def test_a_pool_may_start_empty() -> None:
    assert load_settings({"DB_POOL_MIN": "0"}).db_pool_min == 0
