"""What every delivery channel promises: one `send`, a receipt, two kinds of failure.

Failures are sorted into transient (try again later) and permanent (this
message will never get through this channel, so fall back or give up).
Recipient addresses and message bodies are personal data: they never appear in
logs or in error messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from notifications.domain.rendering import RenderedMessage


class DeliveryError(Exception):
    """A message could not be handed to the provider. Messages never hold personal data."""


class TransientDeliveryError(DeliveryError):
    """Try again later: provider down, timeout, connection refused, rate limit."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentDeliveryError(DeliveryError):
    """Retrying the same message on this channel cannot succeed (bad address, rejected)."""


@dataclass(frozen=True)
class ProviderReceipt:
    channel: str
    provider_message_id: str | None


class ChannelAdapter(Protocol):
    channel: str

    async def send(
        self, to: str, message: RenderedMessage, *, idempotency_key: str
    ) -> ProviderReceipt: ...
