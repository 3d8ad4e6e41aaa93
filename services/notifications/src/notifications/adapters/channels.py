"""Delivery channels: email over SMTP, WhatsApp and SMS over an HTTP provider API.

All of them share `send(to, message, *, idempotency_key) -> ProviderReceipt`
and raise `TransientDeliveryError` or `PermanentDeliveryError`; this module is
the one place the service imports them from.
"""

from __future__ import annotations

import logging
import re

import httpx

from notifications.adapters.delivery import (
    ChannelAdapter,
    DeliveryError,
    PermanentDeliveryError,
    ProviderReceipt,
    TransientDeliveryError,
)
from notifications.adapters.smtp import EmailChannel, SmtpSettings
from notifications.domain.rendering import RenderedMessage

__all__ = [
    "MESSAGES_PATH",
    "ChannelAdapter",
    "DeliveryError",
    "EmailChannel",
    "PermanentDeliveryError",
    "ProviderReceipt",
    "SmsChannel",
    "SmtpSettings",
    "TransientDeliveryError",
    "WhatsAppChannel",
    "provider_client",
]

log = logging.getLogger(__name__)

MESSAGES_PATH = "/v1/messages"
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")

# 4xx answers that say "not now" rather than "never"; 401/403 mean our token is
# wrong, which an operator can fix, so the message should wait, not be dropped.
_RETRYABLE_CLIENT_ERRORS = frozenset({401, 403, 408, 409, 425, 429})


def provider_client(base_url: str, token: str, timeout: float = 10.0) -> httpx.AsyncClient:
    """One pooled client for the provider, owned (and closed) by the composition root."""
    return httpx.AsyncClient(
        base_url=base_url,
        headers={"Authorization": f"Bearer {token}"},
        timeout=timeout,
    )


class _ProviderChannel:
    channel: str

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def send(
        self, to: str, message: RenderedMessage, *, idempotency_key: str
    ) -> ProviderReceipt:
        if not _E164.match(to):
            raise PermanentDeliveryError("phone number is not in E.164 form")
        body = {
            "channel": self.channel,
            "to": to,
            "text": message.body,
            # The provider drops a repeat of a key it has seen: a retry after a
            # timeout (sent, but the answer was lost) does not reach the owner twice.
            "idempotency_key": idempotency_key,
        }
        try:
            response = await self._client.post(
                MESSAGES_PATH, json=body, headers={"Idempotency-Key": idempotency_key}
            )
        except httpx.TransportError as error:
            raise TransientDeliveryError(f"provider unreachable: {type(error).__name__}") from None
        _raise_for_status(response)
        receipt = ProviderReceipt(self.channel, _provider_id(response))
        log.info(
            "message handed over",
            extra={
                "channel": self.channel,
                "message_id": idempotency_key,
                "provider_message_id": receipt.provider_message_id,
            },
        )
        return receipt


class WhatsAppChannel(_ProviderChannel):
    channel = "whatsapp"


class SmsChannel(_ProviderChannel):
    channel = "sms"


def _raise_for_status(response: httpx.Response) -> None:
    # The response body is not quoted: providers echo the number back in errors.
    status = response.status_code
    if status < 400:
        return
    if status >= 500 or status in _RETRYABLE_CLIENT_ERRORS:
        retry_after = _retry_after(response)
        raise TransientDeliveryError(f"provider answered {status}", retry_after=retry_after)
    raise PermanentDeliveryError(f"provider refused the message ({status})")


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.isdigit() else None


def _provider_id(response: httpx.Response) -> str | None:
    # The provider accepted the message; a malformed answer must not cause a resend.
    try:
        data = response.json()
    except ValueError:
        data = None
    provider_id = data.get("id") if isinstance(data, dict) else None
    if provider_id is None:
        log.warning("provider accepted a message without returning an id")
    return None if provider_id is None else str(provider_id)
