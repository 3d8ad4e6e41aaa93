"""Email over SMTP with aiosmtplib."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

import aiosmtplib

from notifications.adapters.delivery import (
    DeliveryError,
    PermanentDeliveryError,
    ProviderReceipt,
    TransientDeliveryError,
)
from notifications.domain.rendering import RenderedMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    from_address: str
    username: str | None = None
    password: str | None = None
    start_tls: bool = False
    timeout: float = 30.0


class EmailChannel:
    channel = "email"

    def __init__(self, settings: SmtpSettings) -> None:
        self._settings = settings

    async def send(
        self, to: str, message: RenderedMessage, *, idempotency_key: str
    ) -> ProviderReceipt:
        if "@" not in to:
            raise PermanentDeliveryError("email address is malformed")
        email = self._compose(to, message, idempotency_key)
        try:
            await aiosmtplib.send(
                email,
                hostname=self._settings.host,
                port=self._settings.port,
                username=self._settings.username,
                password=self._settings.password,
                start_tls=self._settings.start_tls,
                timeout=self._settings.timeout,
            )
        except (aiosmtplib.SMTPException, OSError) as error:
            raise _smtp_failure(error) from None
        log.info("email handed over", extra={"message_id": idempotency_key})
        return ProviderReceipt(self.channel, email["Message-ID"])

    def _compose(self, to: str, message: RenderedMessage, key: str) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self._settings.from_address
        email["To"] = to
        email["Subject"] = message.subject
        email["Date"] = formatdate(usegmt=True)
        # A stable Message-ID per message lets mail systems spot our own retries.
        domain = self._settings.from_address.rpartition("@")[2] or "localhost"
        email["Message-ID"] = f"<{key}@{domain}>"
        email.set_content(message.body)
        return email


def _smtp_failure(error: Exception) -> DeliveryError:
    """SMTP reply codes: 4xx means "try later", 5xx means "never" (RFC 5321 4.2.1).

    The server's reply text is dropped: it often quotes the recipient address.
    """
    code = _smtp_code(error)
    if code is None:
        return TransientDeliveryError(f"SMTP unreachable: {type(error).__name__}")
    if isinstance(error, aiosmtplib.SMTPAuthenticationError):
        # Our credentials, not the recipient: a retry after the operator fixes them succeeds.
        return TransientDeliveryError(f"SMTP authentication failed ({code})")
    if 400 <= code < 500:
        return TransientDeliveryError(f"SMTP temporary failure {code}")
    return PermanentDeliveryError(f"SMTP rejected the message ({code})")


def _smtp_code(error: Exception) -> int | None:
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused) and error.recipients:
        return error.recipients[0].code
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return error.code
    return None
