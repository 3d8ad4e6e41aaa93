"""API response models: what officers see. No addresses, no message texts."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from plut_shared.tracing import trace_id_in
from pydantic import BaseModel, Field

from notifications.domain.contacts import Contact
from notifications.domain.delivery import total_attempts
from notifications.domain.message import Message
from notifications.domain.rendering import LANGUAGES, template_files
from notifications.domain.rules import RULES


class AttemptView(BaseModel):
    at: datetime
    channel: str
    outcome: str = Field(description="delivered, transient (retried) or gave_up (channel dropped).")
    error: str | None = Field(default=None, description="Provider error, without personal data.")


class MessageView(BaseModel):
    message_id: str
    umkm_id: str
    template: str
    language: str
    state: str = Field(description="scheduled, sending, retrying, delivered, failed or cancelled.")
    channel: str | None = Field(default=None, description="Channel last tried or delivered on.")
    attempts: int
    due_at: datetime | None = None
    created_at: datetime
    delivered_at: datetime | None = None
    failed_at: datetime | None = None
    last_error: str | None = None
    cancel_reason: str | None = None
    causation_event_id: str
    event_type: str
    history: list[AttemptView]
    trace_id: str | None = Field(
        default=None,
        description="The trace of the event (or resend) that made the message due: its "
        "spans, from the HTTP request on, and log lines carry this id.",
    )

    @classmethod
    def of(cls, message: Message) -> MessageView:
        return cls(
            message_id=message.message_id,
            attempts=total_attempts(message.attempts),
            history=[AttemptView(**asdict(attempt)) for attempt in message.history],
            trace_id=trace_id_in(message.trace_context),
            **{name: getattr(message, name) for name in _COPIED},
        )


_COPIED = (
    "umkm_id", "template", "language", "state", "channel", "due_at", "created_at",
    "delivered_at", "failed_at", "last_error", "cancel_reason", "causation_event_id",
    "event_type",
)  # fmt: skip


class PreferencesView(BaseModel):
    umkm_id: str
    preferred_channel: str
    language: str
    opted_out: list[str]
    erased: bool

    @classmethod
    def of(cls, contact: Contact) -> PreferencesView:
        return cls(
            umkm_id=contact.umkm_id,
            preferred_channel=str(contact.preferred_channel),
            language=str(contact.language),
            opted_out=sorted(str(channel) for channel in contact.opted_out),
            erased=contact.is_erased,
        )


class TemplateView(BaseModel):
    name: str
    languages: list[str]
    event_types: list[str] = Field(description="Events that send this template.")
    urgent: bool = Field(description="Sent on WhatsApp/SMS even in quiet hours (21:00-07:00 WIB).")
    timing: str = Field(description="immediate, or day_before_session for reminders.")


def template_catalog() -> list[TemplateView]:
    files = set(template_files())
    views: dict[str, TemplateView] = {}
    for rule in RULES:
        view = views.setdefault(
            rule.template,
            TemplateView(
                name=rule.template,
                languages=[lang for lang in LANGUAGES if f"{rule.template}.{lang}.txt" in files],
                event_types=[],
                urgent=rule.urgent,
                timing=str(rule.timing),
            ),
        )
        if rule.event_type not in view.event_types:
            view.event_types.append(rule.event_type)
    return sorted(views.values(), key=lambda view: view.name)
