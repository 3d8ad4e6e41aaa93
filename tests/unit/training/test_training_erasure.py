"""An erased owner's future enrolments and appointments are withdrawn, once, by id."""

from __future__ import annotations

from datetime import timedelta

from training.domain.commands import AddConsultant, BookMentoring, SlotTimes

from tests.unit.training.fakes import (
    AREAS,
    CENTRE,
    NOW,
    consume_own_events,
    deliver,
    erased,
    officer,
    planned_session,
    register,
    wired,
)


def cancelled_of(w, umkm_id: str) -> list:
    found = w.events("training.enrollment.cancelled")
    return [e for e in found if e.payload["umkm_id"] == umkm_id]


async def three_enrolled_for_one_seat():
    """u1 seated, u2 and u3 waiting, their enrolments known to the enterprises' lists."""
    w = wired()
    await register(w, "u1", "u2", "u3")
    session = await planned_session(w, capacity=1)
    for umkm_id in ("u1", "u2", "u3"):
        await w.enrolment.enrol(session.session_id, umkm_id, officer())
    await consume_own_events(w)
    return w, session


async def test_an_erased_seat_is_cancelled_and_the_first_waiting_promoted() -> None:
    w, session = await three_enrolled_for_one_seat()
    erasure = erased("u1")
    await deliver(w, erasure)
    (cancelled,) = cancelled_of(w, "u1")
    assert cancelled.payload["reason"] == "erased"
    assert cancelled.causation_id == erasure.event_id
    (promoted,) = w.events("training.enrollment.promoted")
    assert promoted.payload["umkm_id"] == "u2"
    assert "Siti" not in str(cancelled) and "Sepatu" not in str(cancelled)
    roster = (await w.stores.sessions.get(session.session_id)).roster
    assert [str(e.status) for e in roster.enrollments] == ["cancelled", "confirmed", "waitlisted"]


async def test_an_erased_waiting_place_is_dropped_and_the_seats_stay() -> None:
    w, session = await three_enrolled_for_one_seat()
    await deliver(w, erased("u2"))
    assert [e.payload["reason"] for e in cancelled_of(w, "u2")] == ["erased"]
    assert w.events("training.enrollment.promoted") == []
    roster = (await w.stores.sessions.get(session.session_id)).roster
    assert roster.position(roster.enrollments[2]) == 1


async def test_a_seat_in_a_session_that_has_begun_stays_as_history() -> None:
    w = wired()
    await register(w, "u1")
    session = await planned_session(w)
    await w.enrolment.enrol(session.session_id, "u1", officer())
    await consume_own_events(w)
    w.clock.now = session.schedule.starts_at + timedelta(hours=1)
    await deliver(w, erased("u1"))
    assert cancelled_of(w, "u1") == []
    roster = (await w.stores.sessions.get(session.session_id)).roster
    assert str(roster.enrollments[0].status) == "confirmed"


async def test_a_redelivered_erasure_changes_and_publishes_nothing_more() -> None:
    w = wired()
    await register(w, "u1", "u2")
    first, second = await planned_session(w, capacity=1), await planned_session(w, capacity=1)
    for session in (first, second):
        await w.enrolment.enrol(session.session_id, "u1", officer())
        await w.enrolment.enrol(session.session_id, "u2", officer())
    await consume_own_events(w)
    erasure = erased("u1")
    await deliver(w, erasure)
    versions = dict(w.stores.sessions.versions)  # type: ignore[attr-defined]
    written = len(w.stores.sessions.events)  # type: ignore[attr-defined]
    await deliver(w, erasure)
    assert w.stores.sessions.versions == versions  # type: ignore[attr-defined]
    assert len(w.stores.sessions.events) == written  # type: ignore[attr-defined]
    assert len(cancelled_of(w, "u1")) == 2 and len(w.events("training.enrollment.promoted")) == 2


async def test_a_redelivery_finishes_an_erasure_that_stopped_half_way() -> None:
    w = wired()
    await register(w, "u1")
    sessions = [await planned_session(w) for _ in range(3)]
    for session in sessions:
        await w.enrolment.enrol(session.session_id, "u1", officer())
    await consume_own_events(w)
    erasure = erased("u1")
    # As if the process died after the mirror write and the first session's write.
    await w.stores.enterprises.apply_event("u1", erasure, lambda e: e.on_erased())
    await w.served.withdrawals.withdraw_enrolment(erasure, "u1", sessions[0].session_id)
    assert len(cancelled_of(w, "u1")) == 1
    await deliver(w, erasure)
    cancelled = cancelled_of(w, "u1")
    assert sorted(e.subject_id for e in cancelled) == sorted(s.session_id for s in sessions)


async def test_an_enrolment_whose_event_arrives_after_the_erasure_is_withdrawn_then() -> None:
    w = wired()
    await register(w, "u1")
    session = await planned_session(w)
    await w.enrolment.enrol(session.session_id, "u1", officer())
    await deliver(w, erased("u1"))  # the enrolment's own event is still on its way
    assert cancelled_of(w, "u1") == []
    await consume_own_events(w)
    (cancelled,) = cancelled_of(w, "u1")
    assert cancelled.payload["reason"] == "erased"


async def test_an_erasure_before_any_enrolment_keeps_a_bare_erased_enterprise() -> None:
    w = wired()
    await deliver(w, erased("u1"))
    enterprise = await w.stores.enterprises.get("u1")
    assert enterprise.erased and enterprise.session_ids == [] and enterprise.appointment_ids == []
    assert w.events("training.enrollment.cancelled") == []


async def test_a_completed_session_leaves_the_list_and_keeps_its_record() -> None:
    w = wired()
    await register(w, "u1")
    session = await planned_session(w)
    await w.enrolment.enrol(session.session_id, "u1", officer())
    await consume_own_events(w)
    assert (await w.stores.enterprises.get("u1")).session_ids == [session.session_id]
    w.clock.now = session.schedule.ends_at
    day = session.days[0]
    await w.enrolment.record_attendance(session.session_id, day, ["u1"], officer())
    await w.enrolment.complete(session.session_id, officer())
    await consume_own_events(w)
    assert (await w.stores.enterprises.get("u1")).session_ids == []
    await deliver(w, erased("u1"))
    roster = (await w.stores.sessions.get(session.session_id)).roster
    assert str(roster.enrollments[0].status) == "completed"
    assert cancelled_of(w, "u1") == []


async def test_a_future_appointment_is_cancelled_and_a_begun_one_kept() -> None:
    w = wired()
    await register(w, "u1")
    consultant = await w.mentoring.add_consultant(
        AddConsultant(centre_id=CENTRE, name="Dewi Lestari", areas=AREAS), officer()
    )
    times = [
        SlotTimes(starts_at=NOW + timedelta(hours=h), ends_at=NOW + timedelta(hours=h + 1))
        for h in (1, 30)
    ]
    soon, later = await w.mentoring.offer_slots(consultant.consultant_id, times, officer())
    booked = [
        await w.mentoring.book(
            BookMentoring(
                consultant_id=consultant.consultant_id,
                slot_id=slot.slot_id,
                umkm_id="u1",
                area="marketing",
            ),
            officer(),
        )
        for slot in (soon, later)
    ]
    await consume_own_events(w)
    w.clock.advance(hours=1, minutes=30)  # the first has begun
    erasure = erased("u1")
    await deliver(w, erasure)
    await deliver(w, erasure)
    (cancelled,) = w.events("training.mentoring.cancelled")
    assert cancelled.subject_id == booked[1].appointment_id
    assert cancelled.payload["reason"] == "erased"
    begun = await w.stores.appointments.get(booked[0].appointment_id)
    assert str(begun.status) == "scheduled"
