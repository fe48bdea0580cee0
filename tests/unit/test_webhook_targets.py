"""Where webhooks may go, in production settings with a scripted resolver (no DNS), and in
development."""

from __future__ import annotations

import pytest

from api.clients.webhook_targets import UnsafeTarget, check_target


def resolver(table: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    async def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError("no such name")
        return table[host]

    return resolve


NAMES = resolver(
    {
        "hooks.example.vn": ["203.0.113.10"],  # documentation range: not global either
        "public.example.vn": ["8.8.8.8", "2001:4860:4860::8888"],
        "rebound.example.vn": ["127.0.0.1"],
        "mixed.example.vn": ["8.8.8.8", "10.1.2.3"],
        "mapped.example.vn": ["::ffff:169.254.169.254"],
    }
)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://169.254.169.254/", "webhook_url_not_https"),
        ("https://169.254.169.254/latest/meta-data/", "webhook_url_not_public"),
        ("http://10.0.0.1/", "webhook_url_not_https"),
        ("https://10.0.0.1/", "webhook_url_not_public"),
        ("http://[::1]/", "webhook_url_not_https"),
        ("https://[::1]/", "webhook_url_not_public"),
        ("https://rebound.example.vn/hook", "webhook_url_not_public"),
        ("https://mixed.example.vn/hook", "webhook_url_not_public"),
        ("https://mapped.example.vn/hook", "webhook_url_not_public"),
        ("https://100.100.100.200/", "webhook_url_not_public"),  # a cloud's metadata (CGNAT)
        ("https://224.0.0.1/", "webhook_url_not_public"),
        ("https://[fd00:ec2::254]/", "webhook_url_not_public"),
        ("https://0.0.0.0/", "webhook_url_not_public"),
        ("https://nowhere.example.vn/", "webhook_url_unresolvable"),
        ("https://user:pw@public.example.vn/", "webhook_url_invalid"),
        ("https://public.example.vn/#x", "webhook_url_invalid"),
        ("ftp://public.example.vn/", "webhook_url_invalid"),
        ("https://public.example.vn:99999/", "webhook_url_invalid"),
        ("http://localhost:8080/", "webhook_url_not_https"),
    ],
)
async def test_production_refuses_inward_and_unsafe_urls(url: str, reason: str) -> None:
    with pytest.raises(UnsafeTarget) as refused:
        await check_target(url, production=True, resolve=NAMES)
    assert refused.value.reason == reason


async def test_production_accepts_https_to_public_addresses() -> None:
    await check_target("https://public.example.vn/hooks/motcua", production=True, resolve=NAMES)
    await check_target("https://8.8.8.8:8443/x", production=True, resolve=NAMES)


async def test_development_allows_http_to_loopback_only() -> None:
    for url in ("http://127.0.0.1:9000/hook", "http://[::1]:81/", "http://localhost/x"):
        await check_target(url, production=False, resolve=NAMES)
    await check_target("https://hooks.example.vn/x", production=False, resolve=NAMES)
    for url in ("http://10.0.0.1/", "http://public.example.vn/"):
        with pytest.raises(UnsafeTarget) as refused:
            await check_target(url, production=False, resolve=NAMES)
        assert refused.value.reason == "webhook_url_not_https"
