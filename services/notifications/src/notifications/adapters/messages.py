"""Messages (collection `messages`) as stored documents, one per (event, template).

The `_id` is `rules.message_id(event_id, template)`, so scheduling is an add
that a redelivered event cannot repeat. Every change goes through the kernel's
aggregate store (a compare-and-swap on `{_id, version}`); this mapper only
says how a `Message` looks as a document. Empty fields are left out, so an
erased message has no `payload` at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from plut_shared.messaging import Mapper

from notifications.domain.delivery import Attempt, CancelReason, Outcome, State
from notifications.domain.message import Message

MESSAGES = "messages"

# Copied as they are, both ways; the others need converting or have defaults.
_PLAIN = (
    "umkm_id", "centre_id", "template", "urgent", "language", "event_type", "schema_version",
    "causation_event_id", "correlation_id", "created_at", "due_at", "payload", "channel",
    "lease_until", "last_error", "provider_message_id", "delivered_at", "failed_at",
    "cancelled_at", "erased_at", "trace_context",
)  # fmt: skip


class MessageMapper(Mapper[Message]):
    def id_of(self, aggregate: Message) -> str:
        return aggregate.message_id

    def to_document(self, aggregate: Message) -> dict[str, Any]:
        document: dict[str, Any] = {name: getattr(aggregate, name) for name in _PLAIN}
        document.update(
            state=str(aggregate.state),
            cancel_reason=None if aggregate.cancel_reason is None else str(aggregate.cancel_reason),
            planned_channels=list(aggregate.planned_channels),
            attempts=dict(aggregate.attempts),
            exhausted_channels=list(aggregate.exhausted_channels),
            history=[_attempt_document(attempt) for attempt in aggregate.history],
            resends=aggregate.resends,
        )
        return {name: value for name, value in document.items() if value is not None}

    def from_document(self, document: Mapping[str, Any]) -> Message:
        reason = document.get("cancel_reason")
        plain: dict[str, Any] = {name: document.get(name) for name in _PLAIN}
        return Message(
            message_id=document["_id"],
            **plain,
            state=State(document["state"]),
            cancel_reason=None if reason is None else CancelReason(reason),
            planned_channels=list(document.get("planned_channels", [])),
            attempts=dict(document.get("attempts", {})),
            exhausted_channels=list(document.get("exhausted_channels", [])),
            history=[_attempt(entry) for entry in document.get("history", [])],
            resends=int(document.get("resends", 0)),
        )


def _attempt_document(attempt: Attempt) -> dict[str, Any]:
    return {
        "at": attempt.at,
        "channel": attempt.channel,
        "outcome": str(attempt.outcome),
        "error": attempt.error,
    }


def _attempt(entry: Mapping[str, Any]) -> Attempt:
    return Attempt(entry["at"], entry["channel"], Outcome(entry["outcome"]), entry.get("error"))
