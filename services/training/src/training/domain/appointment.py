"""A mentoring appointment: one enterprise, one consultant's slot, one area.

The stored `slot_key` sits under a unique index: a scheduled or completed
appointment holds `slot:<slot id>`, a cancelled one a key of its own. So two
bookings of one slot cannot both be written, and a rescheduling takes the new
slot and frees the old one in the same single-document write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from plut_shared.contracts import Payload
from plut_shared.contracts.training import (
    MentoringCancelled,
    MentoringCompleted,
    MentoringScheduled,
)

from training.domain.consultant import Area, Consultant, Slot
from training.domain.errors import StateConflict
from training.domain.outcome import Outcome

# Reasons a `training.mentoring.cancelled` gives (see its contract).
WITHDRAWN = "withdrawn"
ERASED = "erased"


class AppointmentStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


@dataclass(eq=False)
class Appointment:
    appointment_id: str
    centre_id: str
    consultant_id: str
    umkm_id: str
    area: Area
    slot: Slot
    status: AppointmentStatus
    booked_at: datetime
    outcome: Outcome | None = None
    closed_at: datetime | None = None
    pending_events: list[Payload] = field(default_factory=list)

    @classmethod
    def book(
        cls,
        appointment_id: str,
        consultant: Consultant,
        slot_id: str,
        umkm_id: str,
        area: Area,
        at: datetime,
    ) -> Appointment:
        consultant.ensure_area(area)
        slot = _future_slot(consultant, slot_id, at)
        appointment = cls(
            appointment_id, consultant.centre_id, consultant.consultant_id, umkm_id,
            Area(area), slot, AppointmentStatus.SCHEDULED, at,
        )  # fmt: skip
        appointment.pending_events.append(appointment._payload(MentoringScheduled))
        return appointment

    @property
    def slot_key(self) -> str:
        if self.status is AppointmentStatus.CANCELLED:
            return f"released:{self.appointment_id}"
        return f"slot:{self.slot.slot_id}"

    def reschedule(self, consultant: Consultant, slot_id: str, at: datetime) -> None:
        self._ensure_scheduled()
        if consultant.consultant_id != self.consultant_id:
            raise StateConflict("an appointment moves only between its consultant's slots")
        previous = self.slot.starts_at
        self.slot = _future_slot(consultant, slot_id, at)
        self.pending_events.append(self._payload(MentoringScheduled, previous_at=previous))

    def cancel(self, at: datetime, reason: str = WITHDRAWN) -> None:
        self._ensure_scheduled()
        self.status, self.closed_at = AppointmentStatus.CANCELLED, at
        self.pending_events.append(self._payload(MentoringCancelled, reason=reason))

    def withdraw_erased(self, at: datetime) -> bool:
        """Cancel the appointment of an erased owner if it is still to come; True if so.

        One that has begun or closed stays as history, and a repeat changes nothing.
        """
        if self.status is not AppointmentStatus.SCHEDULED or self.slot.starts_at <= at:
            return False
        self.cancel(at, ERASED)
        return True

    def complete(self, outcome: Outcome, at: datetime) -> None:
        """Close with the outcome; the event carries area and time only, never the notes."""
        self._ensure_scheduled()
        if at < self.slot.starts_at:
            raise StateConflict("the appointment has not begun")
        self.status, self.closed_at, self.outcome = AppointmentStatus.COMPLETED, at, outcome
        self.pending_events.append(self._payload(MentoringCompleted))

    def pull_events(self) -> list[Payload]:
        events, self.pending_events = self.pending_events, []
        return events

    def _ensure_scheduled(self) -> None:
        if self.status is not AppointmentStatus.SCHEDULED:
            raise StateConflict(f"the appointment is {self.status}")

    def _payload(self, model: type, **extra: object) -> Payload:
        payload: Payload = model(
            umkm_id=self.umkm_id,
            appointment_id=self.appointment_id,
            consultant_area=str(self.area),
            at=self.slot.starts_at,
            **extra,
        )
        return payload


def _future_slot(consultant: Consultant, slot_id: str, at: datetime) -> Slot:
    slot = consultant.slot(slot_id)
    if slot.starts_at <= at:
        raise StateConflict(f"slot {slot_id} has already begun")
    return slot
