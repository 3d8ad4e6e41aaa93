"""Who hears what: the notification rules as data.

Each row says which event makes the enterprise owner (`umkm_id`) hear which
template, whether it may break quiet hours, when it is due, and an optional
predicate on the payload. Adding a notification is adding a row (and its
templates), not another branch.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from notifications.domain.clock import require_aware

PayloadLike = BaseModel | Mapping[str, Any]
Predicate = Callable[[Mapping[str, Any]], bool]

REMINDER_LEAD = timedelta(days=1)


class Timing(StrEnum):
    IMMEDIATE = "immediate"
    DAY_BEFORE_SESSION = "day_before_session"


def always(payload: Mapping[str, Any]) -> bool:
    return True


def naik_kelas(payload: Mapping[str, Any]) -> bool:
    return payload.get("naik_kelas") is True


def approved(payload: Mapping[str, Any]) -> bool:
    return payload.get("approved") is True


def rejected(payload: Mapping[str, Any]) -> bool:
    return payload.get("approved") is False


def has_session_start(payload: Mapping[str, Any]) -> bool:
    return payload.get("starts_at") is not None


def not_moved(payload: Mapping[str, Any]) -> bool:
    """A cancellation that only moves the seat: the confirmation with the new time follows."""
    return payload.get("reason") != "session_rescheduled"


@dataclass(frozen=True)
class Rule:
    event_type: str
    template: str
    urgent: bool = False
    when: Predicate = always
    timing: Timing = Timing.IMMEDIATE


_ENROLLMENT = "training.enrollment"
_REFERRAL = "financing.referral"

RULES: tuple[Rule, ...] = (
    Rule("registration.umkm.registered", "welcome"),
    # A move down a class is reported to the centre, not congratulated.
    Rule("registration.umkm.scale_changed", "naik_kelas", when=naik_kelas),
    Rule(f"{_ENROLLMENT}.confirmed", "enrollment_confirmed"),
    Rule(f"{_ENROLLMENT}.confirmed", "training_reminder", when=has_session_start,
         timing=Timing.DAY_BEFORE_SESSION),
    Rule(f"{_ENROLLMENT}.waitlisted", "enrollment_waitlisted"),
    # A seat freed at the last minute is worthless if the news waits until 07:00.
    Rule(f"{_ENROLLMENT}.promoted", "enrollment_promoted", urgent=True),
    Rule(f"{_ENROLLMENT}.promoted", "training_reminder", when=has_session_start,
         timing=Timing.DAY_BEFORE_SESSION),
    Rule(f"{_ENROLLMENT}.cancelled", "enrollment_cancelled", when=not_moved),
    Rule("training.participant.completed", "training_completed"),
    Rule("training.mentoring.scheduled", "mentoring_scheduled"),
    Rule("training.mentoring.cancelled", "mentoring_cancelled"),
    Rule(f"{_REFERRAL}.submitted", "referral_submitted"),
    Rule(f"{_REFERRAL}.forwarded", "referral_forwarded"),
    Rule(f"{_REFERRAL}.decided", "referral_approved", when=approved),
    Rule(f"{_REFERRAL}.decided", "referral_rejected", when=rejected),
    Rule(f"{_REFERRAL}.disbursed", "referral_disbursed"),
    Rule(f"{_REFERRAL}.escalated", "referral_escalated"),
    Rule(f"{_REFERRAL}.withdrawn", "referral_withdrawn"),
)  # fmt: skip


@dataclass(frozen=True)
class Supersedes:
    """Waiting messages of these templates about the same thing (the same value of
    `about` in their payload) that an event makes pointless."""

    templates: frozenset[str]
    about: str


# A reminder of a session the owner left; a mentoring booking told after its cancellation
# (in quiet hours both would wait until 07:00, in no set order).
CANCELS_WAITING: dict[str, Supersedes] = {
    f"{_ENROLLMENT}.cancelled": Supersedes(frozenset({"training_reminder"}), "session_id"),
    "training.mentoring.cancelled": Supersedes(
        frozenset({"mentoring_scheduled"}), "appointment_id"
    ),
}

TEMPLATES: frozenset[str] = frozenset(rule.template for rule in RULES)


def _index(rules: tuple[Rule, ...]) -> dict[str, tuple[Rule, ...]]:
    index: dict[str, list[Rule]] = {}
    for rule in rules:
        index.setdefault(rule.event_type, []).append(rule)
    return {event_type: tuple(found) for event_type, found in index.items()}


_BY_EVENT_TYPE = _index(RULES)


def event_types() -> frozenset[str]:
    """Event types that can cause a notification: the service subscribes to these."""
    return frozenset(_BY_EVENT_TYPE) | frozenset(CANCELS_WAITING)


def rules_for(event_type: str, payload: PayloadLike) -> list[Rule]:
    """The rules that fire for this event; empty when the owner hears nothing."""
    fields = as_fields(payload)
    return [rule for rule in _BY_EVENT_TYPE.get(event_type, ()) if rule.when(fields)]


def reminder_time(starts_at: datetime) -> datetime:
    """When the reminder for a session starting at `starts_at` is due."""
    return require_aware(starts_at) - REMINDER_LEAD


def due_at(rule: Rule, payload: PayloadLike, now: datetime) -> datetime | None:
    """When the rule's message is due, or None when it is already too late to matter.

    An enrollment made less than a day before the session gets no reminder: its
    confirmation, sent now, already says when the session starts.
    """
    if rule.timing is Timing.IMMEDIATE:
        return now
    starts_at = as_fields(payload).get("starts_at")
    if starts_at is None:
        return None
    if isinstance(starts_at, str):
        starts_at = datetime.fromisoformat(starts_at)
    due = reminder_time(starts_at)
    return due if due > now else None


def message_id(event_id: str, template: str) -> str:
    """A stable message id, so a redelivered event maps to the same message (and provider key)."""
    return str(uuid.uuid5(_MESSAGE_NAMESPACE, f"{event_id}/{template}"))


_MESSAGE_NAMESPACE = uuid.UUID("6f1c2a8e-4b7d-5e2f-9a31-0c8d7e6b5a41")


def as_fields(payload: PayloadLike) -> Mapping[str, Any]:
    return payload.model_dump() if isinstance(payload, BaseModel) else payload
