"""Mentoring use cases on the in-memory store: slots, booking, moves, outcomes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from training.domain.commands import (
    AddConsultant,
    BookMentoring,
    CompleteMentoring,
    SlotTimes,
)
from training.domain.errors import DomainValidationError, SlotTaken, StateConflict
from training.handlers.common import NotFound

from tests.unit.training.fakes import AREAS, CENTRE, NOW, officer, register, wired


async def consultant_with_slots(w, count: int = 2):
    consultant = await w.mentoring.add_consultant(
        AddConsultant(centre_id=CENTRE, name="Dewi Lestari", areas=AREAS), officer()
    )
    times = [
        SlotTimes(
            starts_at=NOW + timedelta(days=1, hours=n), ends_at=NOW + timedelta(days=1, hours=n + 1)
        )
        for n in range(count)
    ]
    slots = await w.mentoring.offer_slots(consultant.consultant_id, times, officer())
    return consultant, slots


def booking(consultant, slot, umkm_id: str = "u1", area: str = "marketing") -> BookMentoring:
    return BookMentoring(
        consultant_id=consultant.consultant_id, slot_id=slot.slot_id, umkm_id=umkm_id, area=area
    )


async def test_booking_a_slot_publishes_scheduled_and_marks_the_slot_booked() -> None:
    w = wired()
    await register(w, "u1")
    consultant, (slot, other) = await consultant_with_slots(w)
    appointment = await w.mentoring.book(booking(consultant, slot), officer())
    (event,) = w.events("training.mentoring.scheduled")
    assert event.payload == {
        "umkm_id": "u1",
        "appointment_id": appointment.appointment_id,
        "consultant_area": "marketing",
        "at": event.payload["at"],
        "previous_at": None,
    }
    states = await w.mentoring.slots(consultant.consultant_id, officer())
    assert [(s.slot.slot_id, s.booked) for s in states] == [
        (slot.slot_id, True), (other.slot_id, False)
    ]  # fmt: skip


async def test_a_booked_slot_cannot_be_booked_again() -> None:
    w = wired()
    await register(w, "u1", "u2")
    consultant, (slot, _) = await consultant_with_slots(w)
    await w.mentoring.book(booking(consultant, slot), officer())
    with pytest.raises(SlotTaken):
        await w.mentoring.book(booking(consultant, slot, "u2"), officer())
    assert len(w.events("training.mentoring.scheduled")) == 1


async def test_rescheduling_frees_the_old_slot_and_cancelling_frees_the_new() -> None:
    w = wired()
    await register(w, "u1", "u2")
    consultant, (first, second) = await consultant_with_slots(w)
    appointment = await w.mentoring.book(booking(consultant, first), officer())
    moved = await w.mentoring.reschedule(appointment.appointment_id, second.slot_id, officer())
    assert moved.slot.slot_id == second.slot_id
    moved_event = w.events("training.mentoring.scheduled")[-1]
    assert moved_event.payload["previous_at"] is not None
    await w.mentoring.book(booking(consultant, first, "u2"), officer())  # free again
    await w.mentoring.cancel(appointment.appointment_id, officer())
    (cancelled,) = w.events("training.mentoring.cancelled")
    assert cancelled.payload["appointment_id"] == appointment.appointment_id
    again = await w.mentoring.book(booking(consultant, second, "u1"), officer())
    assert again.slot.slot_id == second.slot_id


async def test_moving_onto_a_booked_slot_is_refused_and_changes_nothing() -> None:
    w = wired()
    await register(w, "u1", "u2")
    consultant, (first, second) = await consultant_with_slots(w)
    mine = await w.mentoring.book(booking(consultant, first), officer())
    await w.mentoring.book(booking(consultant, second, "u2"), officer())
    with pytest.raises(SlotTaken):
        await w.mentoring.reschedule(mine.appointment_id, second.slot_id, officer())
    stored = await w.stores.appointments.get(mine.appointment_id)
    assert stored.slot.slot_id == first.slot_id


async def test_completion_keeps_the_outcome_inside_and_publishes_area_and_time_only() -> None:
    w = wired()
    await register(w, "u1")
    consultant, (slot, _) = await consultant_with_slots(w)
    appointment = await w.mentoring.book(booking(consultant, slot), officer())
    w.clock.now = slot.starts_at + timedelta(minutes=50)
    summary = "Rencana promosi lewat marketplace; siapkan foto produk dan katalog harga."
    command = CompleteMentoring(summary=summary, follow_up_areas=["it"])
    done = await w.mentoring.complete(appointment.appointment_id, command, officer())
    assert done.outcome is not None and done.outcome.summary == summary
    (event,) = w.events("training.mentoring.completed")
    assert summary not in str(event.payload) and set(event.payload) == {
        "umkm_id", "appointment_id", "consultant_area", "at"
    }  # fmt: skip


@pytest.mark.parametrize(
    "summary",
    [
        "Hubungi pemilik di 0812-3456-7890 besok pagi",
        "NIK pemilik 3576014101900001 perlu dicek",
        "Kirim katalog ke siti@example.id minggu depan",
    ],
)
async def test_an_outcome_with_personal_data_is_refused(summary: str) -> None:
    w = wired()
    await register(w, "u1")
    consultant, (slot, _) = await consultant_with_slots(w)
    appointment = await w.mentoring.book(booking(consultant, slot), officer())
    w.clock.now = slot.starts_at
    with pytest.raises(DomainValidationError) as refused:
        await w.mentoring.complete(
            appointment.appointment_id, CompleteMentoring(summary=summary), officer()
        )
    assert refused.value.field == "summary"
    assert w.events("training.mentoring.completed") == []


async def test_booking_checks_the_area_the_enterprise_and_the_centre() -> None:
    w = wired()
    await register(w, "u1")
    await register(w, "far", centre_id="malang")
    consultant, (slot, _) = await consultant_with_slots(w)
    with pytest.raises(DomainValidationError, match="advises on"):
        await w.mentoring.book(booking(consultant, slot, area="production"), officer())
    with pytest.raises(DomainValidationError):
        await w.mentoring.book(booking(consultant, slot, "far"), officer())
    with pytest.raises(NotFound):
        await w.mentoring.book(booking(consultant, slot), officer("malang"))


async def test_overlapping_slots_are_refused() -> None:
    w = wired()
    consultant, (slot, _) = await consultant_with_slots(w)
    overlap = SlotTimes(
        starts_at=slot.starts_at + timedelta(minutes=30),
        ends_at=slot.ends_at + timedelta(minutes=30),
    )
    with pytest.raises(DomainValidationError, match="overlaps"):
        await w.mentoring.offer_slots(consultant.consultant_id, [overlap], officer())


async def test_a_cancelled_appointment_cannot_be_completed() -> None:
    w = wired()
    await register(w, "u1")
    consultant, (slot, _) = await consultant_with_slots(w)
    appointment = await w.mentoring.book(booking(consultant, slot), officer())
    await w.mentoring.cancel(appointment.appointment_id, officer())
    w.clock.now = slot.starts_at
    with pytest.raises(StateConflict, match="cancelled"):
        await w.mentoring.complete(
            appointment.appointment_id, CompleteMentoring(summary="Diskusi harga jual"), officer()
        )
