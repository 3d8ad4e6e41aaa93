"""Contracts of the notifications service: `notifications.message.*` events."""

from __future__ import annotations

from pydantic import Field

from plut_shared.contracts.catalog import Payload, event


class _Message(Payload):
    message_id: str = Field(description="Id of the notification message.")
    umkm_id: str = Field(description="Id of the enterprise whose owner was notified.")
    channel: str = Field(description="`whatsapp`, `sms` or `email`.")
    template: str = Field(description="Template name.")
    causation_event_id: str = Field(description="Id of the event that caused the message.")


@event("notifications.message.delivered")
class MessageDelivered(_Message):
    pass


@event("notifications.message.failed")
class MessageFailed(_Message):
    error: str = Field(description="Last provider error, without personal data.")
    attempts: int = Field(ge=1, description="Delivery attempts made.")
