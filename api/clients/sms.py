"""SMS senders. Production posts to an HTTP SMS gateway; development and tests only log."""

from __future__ import annotations

import logging
from typing import Protocol

import httpx

from api.settings import Settings

logger = logging.getLogger(__name__)


class SmsSender(Protocol):
    async def send(self, phone: str, text: str, *, message_id: str) -> None: ...


class SmsDeliveryError(RuntimeError):
    """The gateway refused or could not be reached; the job retries."""


class LoggingSmsSender:
    """Development/test stand-in: the message is written to the log, nothing is sent."""

    async def send(self, phone: str, text: str, *, message_id: str) -> None:
        logger.info(
            "sms (not sent: development)", extra={"to": phone, "text": text, "id": message_id}
        )


class HttpSmsGateway:
    """POST {to, text, id} with a bearer token; the id lets the gateway drop duplicates."""

    def __init__(self, url: str, token: str, *, timeout: float = 10.0) -> None:
        self._url = url
        self._token = token
        self._timeout = timeout

    async def send(self, phone: str, text: str, *, message_id: str) -> None:
        async with httpx.AsyncClient(timeout=self._timeout) as client:
            try:
                response = await client.post(
                    self._url,
                    json={"to": phone, "text": text, "id": message_id},
                    headers={"Authorization": f"Bearer {self._token}"},
                )
            except httpx.HTTPError as exc:
                raise SmsDeliveryError(f"SMS gateway unreachable: {exc!r}") from exc
        if response.status_code >= 300:
            raise SmsDeliveryError(f"SMS gateway answered {response.status_code}")


def sms_sender_for(settings: Settings) -> SmsSender:
    if settings.sms_gateway_url:
        return HttpSmsGateway(settings.sms_gateway_url, settings.sms_gateway_token)
    return LoggingSmsSender()
