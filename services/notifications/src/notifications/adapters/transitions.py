"""Message documents and their state changes, as store updates plus outbox events.

Each function returns what one `AggregateWriter` write does: the update and
the `notifications.message.*` events it emits, so a state change and its event
can never be separated by a crash.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from plut_shared.contracts import Envelope, make_envelope
from plut_shared.contracts.notifications import MessageDelivered, MessageFailed

from notifications.domain.delivery import CancelReason, State, total_attempts

Document = dict[str, Any]
Change = tuple[dict[str, Any], Sequence[Envelope]]

PRODUCER = "notifications"


def new_message(
    *,
    message_id: str,
    envelope: Envelope,
    template: str,
    urgent: bool,
    payload: dict[str, Any],
    language: str,
    channels: list[str],
    due_at: datetime,
    now: datetime,
) -> Document:
    """A scheduled message: no address, no rendered text, no names (rendered at send time)."""
    umkm_id = str(payload["umkm_id"])
    return {
        "_id": message_id,
        "umkm_id": umkm_id,
        "centre_id": envelope.centre_id,
        "template": template,
        "urgent": urgent,
        "language": language,
        "event_type": envelope.event_type,
        "schema_version": envelope.schema_version,
        "payload": payload,
        "causation_event_id": envelope.event_id,
        "correlation_id": envelope.correlation_id,
        "planned_channels": channels,
        "state": str(State.SCHEDULED),
        "due_at": due_at,
        "created_at": now,
        "attempts": {},
        "exhausted_channels": [],
        "history": [],
    }


def _attempt(channel: str, now: datetime, outcome: str, error: str | None = None) -> dict:
    return {"at": now, "channel": channel, "outcome": outcome, "error": error}


def _event(document: Document, payload: MessageDelivered | MessageFailed) -> Envelope:
    return make_envelope(
        payload,
        producer=PRODUCER,
        centre_id=document["centre_id"],
        subject_id=document["_id"],
        correlation_id=document["correlation_id"],
        causation_id=document["causation_event_id"],
    )


def _message_fields(document: Document, channel: str) -> dict[str, str]:
    return {
        "message_id": document["_id"],
        "umkm_id": document["umkm_id"],
        "channel": channel,
        "template": document["template"],
        "causation_event_id": document["causation_event_id"],
    }


def delivered(document: Document, channel: str, provider_id: str | None, now: datetime) -> Change:
    update = {
        "$set": {
            "state": str(State.DELIVERED),
            "channel": channel,
            "delivered_at": now,
            "provider_message_id": provider_id,
        },
        "$inc": {f"attempts.{channel}": 1},
        "$push": {"history": _attempt(channel, now, "delivered")},
        "$unset": {"lease_until": ""},
    }
    return update, [_event(document, MessageDelivered(**_message_fields(document, channel)))]


def retrying(document: Document, channel: str, error: str, at: datetime, now: datetime) -> Change:
    update = {
        "$set": {
            "state": str(State.RETRYING),
            "channel": channel,
            "due_at": at,
            "last_error": error,
        },
        "$inc": {f"attempts.{channel}": 1},
        "$push": {"history": _attempt(channel, now, "transient", error)},
        "$unset": {"lease_until": ""},
    }
    return update, []


def channel_given_up(document: Document, channel: str, error: str, now: datetime) -> Change:
    """Fall back: the next round picks the next channel (and applies quiet hours to it)."""
    update = {
        "$set": {
            "state": str(State.SCHEDULED),
            "channel": channel,
            "due_at": now,
            "last_error": error,
        },
        "$inc": {f"attempts.{channel}": 1},
        "$addToSet": {"exhausted_channels": channel},
        "$push": {"history": _attempt(channel, now, "gave_up", error)},
        "$unset": {"lease_until": ""},
    }
    return update, []


def failed(
    document: Document, channel: str, error: str, now: datetime, extra_attempt: str | None = None
) -> Change:
    """No channel left (or no contact ever arrived): give up and tell the platform."""
    attempts = total_attempts(document.get("attempts", {})) + (extra_attempt is not None)
    update: dict[str, Any] = {
        "$set": {"state": str(State.FAILED), "failed_at": now, "last_error": error},
        "$unset": {"lease_until": ""},
    }
    if extra_attempt is not None:
        update["$inc"] = {f"attempts.{extra_attempt}": 1}
        update["$push"] = {"history": _attempt(extra_attempt, now, "gave_up", error)}
    attempts = max(attempts, 1)
    event = MessageFailed(**_message_fields(document, channel), error=error, attempts=attempts)
    return update, [_event(document, event)]


def deferred(at: datetime) -> Change:
    """Back to waiting without an attempt (quiet hours began while it was queued)."""
    return {
        "$set": {"state": str(State.SCHEDULED), "due_at": at},
        "$unset": {"lease_until": ""},
    }, []


def cancelled(reason: CancelReason, now: datetime) -> Change:
    update = {
        "$set": {"state": str(State.CANCELLED), "cancel_reason": str(reason), "cancelled_at": now},
        "$unset": {"lease_until": ""},
    }
    return update, []


def claimed(lease_until: datetime) -> dict[str, Any]:
    return {"$set": {"state": str(State.SENDING), "lease_until": lease_until}}


def resend(now: datetime) -> Change:
    """An operator asks for another try: every channel is on the table again."""
    update = {
        "$set": {"state": str(State.SCHEDULED), "due_at": now, "exhausted_channels": []},
        "$inc": {"resends": 1},
        "$unset": {"failed_at": ""},
    }
    return update, []


def scrubbed(document: Document, now: datetime) -> Change:
    """Erasure: drop the event fields; a message still waiting is not sent at all."""
    update: dict[str, Any] = {"$set": {"erased_at": now}, "$unset": {"payload": ""}}
    if document["state"] in (str(State.SCHEDULED), str(State.RETRYING)):
        update["$set"].update(
            {"state": str(State.CANCELLED), "cancel_reason": str(CancelReason.ERASED)}
        )
    return update, []
