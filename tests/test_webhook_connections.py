"""The webhook sender's connections: in production a name is resolved once per connection, for
the check and the connection both, so a name that turns inward after its check (DNS
rebinding) reaches nothing inward; and what the sender reads of an answer, against the real
loopback receiver."""

from __future__ import annotations

from typing import Any

import httpcore

from api.clients.webhooks import WebhookSender
from tests.webhook_receiver import LoopbackReceiver

SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
PUBLIC_ADDRESS = "8.8.8.8"


class RecordingNetwork(httpcore.AsyncNetworkBackend):
    """Where the sender asked to connect; every connection fails (no public network here)."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, int]] = []

    async def connect_tcp(self, host: str, port: int, *_: Any, **__: Any) -> Any:
        self.asked.append((host, port))
        raise httpcore.ConnectError(f"{host}:{port} is out of reach in the tests")

    async def sleep(self, seconds: float) -> None:
        raise AssertionError("the sender does not sleep")


async def test_a_name_turning_inward_after_its_check_reaches_nothing_inward() -> None:
    answers = [[PUBLIC_ADDRESS], ["127.0.0.1"]]
    asked_names: list[str] = []

    async def rebinding(host: str, port: int) -> list[str]:
        """A public address first, then loopback: what a rebinding name server does."""
        asked_names.append(host)
        return answers[min(len(asked_names), len(answers)) - 1]

    network = RecordingNetwork()
    sender = WebhookSender(production=True, resolve=rebinding, network=network)
    try:
        first = await sender.send("https://rebind.example.vn/hook", [SECRET], "msg_1", "{}")
        # One resolution served the check and the connection: the connection went to the
        # address that was checked, never to a second answer.
        assert asked_names == ["rebind.example.vn"]
        assert network.asked == [(PUBLIC_ADDRESS, 443)]
        assert first.status_code is None and not first.unsafe_target  # retried later
        assert first.error is not None and first.error.startswith("ConnectError")

        second = await sender.send("https://rebind.example.vn/hook", [SECRET], "msg_1", "{}")
        assert second.unsafe_target and second.error == "webhook_url_not_public"
        assert network.asked == [(PUBLIC_ADDRESS, 443)]  # nothing inward was tried
    finally:
        await sender.aclose()


async def test_production_refuses_plain_http_before_any_connection() -> None:
    async def never(host: str, port: int) -> list[str]:
        raise AssertionError("no resolution for a URL refused by its shape")

    network = RecordingNetwork()
    sender = WebhookSender(production=True, resolve=never, network=network)
    try:
        answer = await sender.send("http://hooks.example.vn/x", [SECRET], "msg_2", "{}")
    finally:
        await sender.aclose()
    assert answer.unsafe_target and answer.error == "webhook_url_not_https"
    assert network.asked == []


async def test_the_answer_carries_status_excerpt_and_retry_after() -> None:
    with LoopbackReceiver(secrets=[SECRET]) as receiver:
        sender = WebhookSender(production=False)
        try:
            receiver.answer_next(429)
            busy = await sender.send(receiver.url, [SECRET], "msg_3", '{"a": 1}')
            ok = await sender.send(receiver.url, [SECRET], "msg_3", '{"a": 1}')
        finally:
            await sender.aclose()
    assert (busy.status_code, busy.retry_after) == (429, 0.0)
    assert (ok.status_code, ok.excerpt, ok.error) == (200, "ok", None)
    assert [r.verified_with for r in receiver.requests] == [[0], [0]]
    assert receiver.requests[0].headers["user-agent"].startswith("MotCua-Webhooks/")
