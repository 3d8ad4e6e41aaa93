"""How consultants (with their offered slots) and appointments are stored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from plut_shared.messaging import Mapper

from training.domain.appointment import Appointment, AppointmentStatus
from training.domain.consultant import Area, Consultant, Slot
from training.domain.outcome import Outcome

CONSULTANTS = "consultants"
APPOINTMENTS = "appointments"
SLOT_KEY = "slot_key"  # under a unique index: one live appointment per slot


class ConsultantMapper(Mapper[Consultant]):
    def id_of(self, aggregate: Consultant) -> str:
        return aggregate.consultant_id

    def to_document(self, aggregate: Consultant) -> dict[str, Any]:
        return {
            "centre_id": aggregate.centre_id,
            "name": aggregate.name,
            "areas": [str(area) for area in aggregate.areas],
            "slots": [_slot_document(slot) for slot in aggregate.slots],
        }

    def from_document(self, document: Mapping[str, Any]) -> Consultant:
        return Consultant(
            consultant_id=document["_id"],
            centre_id=document["centre_id"],
            name=document["name"],
            areas=[Area(area) for area in document["areas"]],
            slots=[_slot(slot) for slot in document["slots"]],
        )


class AppointmentMapper(Mapper[Appointment]):
    def id_of(self, aggregate: Appointment) -> str:
        return aggregate.appointment_id

    def to_document(self, aggregate: Appointment) -> dict[str, Any]:
        outcome = aggregate.outcome
        return {
            "centre_id": aggregate.centre_id,
            "consultant_id": aggregate.consultant_id,
            "umkm_id": aggregate.umkm_id,
            "area": str(aggregate.area),
            "slot": _slot_document(aggregate.slot),
            SLOT_KEY: aggregate.slot_key,
            "status": str(aggregate.status),
            "booked_at": aggregate.booked_at,
            "closed_at": aggregate.closed_at,
            "outcome": None
            if outcome is None
            else {"summary": outcome.summary, "follow_up_areas": list(outcome.follow_up_areas)},
        }

    def from_document(self, document: Mapping[str, Any]) -> Appointment:
        raw = document["outcome"]
        outcome = None
        if raw is not None:
            outcome = Outcome(raw["summary"], tuple(Area(a) for a in raw["follow_up_areas"]))
        return Appointment(
            appointment_id=document["_id"],
            centre_id=document["centre_id"],
            consultant_id=document["consultant_id"],
            umkm_id=document["umkm_id"],
            area=Area(document["area"]),
            slot=_slot(document["slot"]),
            status=AppointmentStatus(document["status"]),
            booked_at=document["booked_at"],
            outcome=outcome,
            closed_at=document["closed_at"],
        )


def _slot_document(slot: Slot) -> dict[str, Any]:
    return {"slot_id": slot.slot_id, "starts_at": slot.starts_at, "ends_at": slot.ends_at}


def _slot(document: Mapping[str, Any]) -> Slot:
    return Slot(document["slot_id"], document["starts_at"], document["ends_at"])
