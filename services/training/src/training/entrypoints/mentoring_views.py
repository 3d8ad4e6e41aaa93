"""Response models of mentoring: consultants, slots and appointments (times also in WIB)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from training.domain.appointment import Appointment
from training.domain.consultant import Consultant, Slot
from training.domain.times import wib
from training.handlers.mentoring import SlotState


class ConsultantView(BaseModel):
    consultant_id: str
    centre_id: str
    name: str
    areas: list[str]

    @classmethod
    def of(cls, consultant: Consultant) -> ConsultantView:
        areas = [str(area) for area in consultant.areas]
        return cls(
            consultant_id=consultant.consultant_id,
            centre_id=consultant.centre_id,
            name=consultant.name,
            areas=areas,
        )


class SlotView(BaseModel):
    slot_id: str
    starts_at: datetime = Field(description="UTC.")
    ends_at: datetime = Field(description="UTC.")
    starts_at_wib: datetime = Field(description="The same instant in WIB (UTC+07:00).")
    booked: bool | None = Field(default=None, description="Null where not looked up.")

    @classmethod
    def of(cls, slot: Slot, booked: bool | None = None) -> SlotView:
        return cls(
            slot_id=slot.slot_id,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            starts_at_wib=wib(slot.starts_at),
            booked=booked,
        )

    @classmethod
    def state(cls, state: SlotState) -> SlotView:
        return cls.of(state.slot, state.booked)


class OutcomeView(BaseModel):
    summary: str
    follow_up_areas: list[str]


class AppointmentView(BaseModel):
    appointment_id: str
    centre_id: str
    consultant_id: str
    umkm_id: str
    area: str
    slot: SlotView
    status: str = Field(description="scheduled, cancelled or completed.")
    booked_at: datetime
    closed_at: datetime | None
    outcome: OutcomeView | None = Field(description="Recorded at completion; stays here.")

    @classmethod
    def of(cls, appointment: Appointment) -> AppointmentView:
        outcome = appointment.outcome
        return cls(
            appointment_id=appointment.appointment_id,
            centre_id=appointment.centre_id,
            consultant_id=appointment.consultant_id,
            umkm_id=appointment.umkm_id,
            area=str(appointment.area),
            slot=SlotView.of(appointment.slot),
            status=str(appointment.status),
            booked_at=appointment.booked_at,
            closed_at=appointment.closed_at,
            outcome=None
            if outcome is None
            else OutcomeView(
                summary=outcome.summary, follow_up_areas=[str(a) for a in outcome.follow_up_areas]
            ),
        )
