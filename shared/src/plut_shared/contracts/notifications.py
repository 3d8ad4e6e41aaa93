"""Contracts of the notifications service: `notifications.message.*` events."""

from __future__ import annotations

from pydantic import Field

from plut_shared.contracts.catalog import Payload, event
from plut_shared.contracts.text import Code, FreeText


class _Message(Payload):
    message_id: Code = Field(description="Id of the notification message.")
    umkm_id: Code = Field(description="Id of the enterprise whose owner was notified.")
    channel: Code = Field(description="`whatsapp`, `sms` or `email`.")
    template: Code = Field(description="Template name.")
    causation_event_id: Code = Field(description="Id of the event that caused the message.")


@event("notifications.message.delivered")
class MessageDelivered(_Message):
    pass


@event("notifications.message.failed")
class MessageFailed(_Message):
    error: FreeText = Field(description="Last provider error, without personal data.")
    attempts: int = Field(ge=1, le=10_000, description="Delivery attempts made.")
