"""Enrolment use cases on the in-memory aggregate store: seats, waiting list, cancellations."""

from __future__ import annotations

from datetime import datetime

import pytest
from plut_shared.contracts.registration import ScaleClass
from training.domain.errors import AlreadyEnrolled, DomainValidationError, StateConflict
from training.handlers.common import NotFound

from tests.unit.training.fakes import deliver, erased, officer, planned_session, register, wired


async def test_enrolments_take_the_seats_then_the_waiting_list_in_order() -> None:
    w = wired()
    await register(w, "u1", "u2", "u3", "u4")
    session = await planned_session(w, capacity=2)
    placed = [
        await w.enrolment.enrol(session.session_id, u, officer()) for u in ("u1", "u2", "u3", "u4")
    ]
    assert [str(p.enrollment.status) for p in placed] == [
        "confirmed", "confirmed", "waitlisted", "waitlisted"
    ]  # fmt: skip
    assert [p.waitlist_position for p in placed] == [None, None, 1, 2]
    assert len(w.events("training.enrollment.confirmed")) == 2
    waitlisted = w.events("training.enrollment.waitlisted")
    assert [e.payload["waitlist_position"] for e in waitlisted] == [1, 2]


async def test_the_confirmation_carries_what_the_reminder_needs() -> None:
    w = wired()
    await register(w, "u1")
    session = await planned_session(w)
    await w.enrolment.enrol(session.session_id, "u1", officer())
    (event,) = w.events("training.enrollment.confirmed")
    assert datetime.fromisoformat(event.payload["starts_at"]) == session.schedule.starts_at
    assert event.payload["place"] == "Aula PLUT Maja Citra Kinarya"
    assert event.payload["topic"] == "Pemasaran digital"
    assert event.payload["course_id"] == session.course_id
    assert event.subject_id == session.session_id and event.correlation_id == "corr-1"


async def test_the_same_enterprise_twice_names_its_existing_enrolment() -> None:
    w = wired()
    await register(w, "u1")
    session = await planned_session(w)
    first = await w.enrolment.enrol(session.session_id, "u1", officer())
    with pytest.raises(AlreadyEnrolled) as refused:
        await w.enrolment.enrol(session.session_id, "u1", officer())
    assert refused.value.enrollment_id == first.enrollment.enrollment_id
    assert len(w.events("training.enrollment.confirmed")) == 1


async def test_cancelling_a_seat_promotes_the_first_waiting() -> None:
    w = wired()
    await register(w, "u1", "u2", "u3")
    session = await planned_session(w, capacity=1)
    first = await w.enrolment.enrol(session.session_id, "u1", officer())
    second = await w.enrolment.enrol(session.session_id, "u2", officer())
    await w.enrolment.enrol(session.session_id, "u3", officer())
    cancelled, promoted = await w.enrolment.cancel(
        session.session_id, first.enrollment.enrollment_id, officer()
    )
    assert str(cancelled.status) == "cancelled"
    assert promoted is not None and promoted.enrollment_id == second.enrollment.enrollment_id
    (event,) = w.events("training.enrollment.promoted")
    assert event.payload["umkm_id"] == "u2"
    (cancel_event,) = w.events("training.enrollment.cancelled")
    assert cancel_event.payload["reason"] == "withdrawn"
    stored = await w.stores.sessions.get(session.session_id)
    assert [str(e.status) for e in stored.roster.enrollments] == [
        "cancelled", "confirmed", "waitlisted"
    ]  # fmt: skip


async def test_a_cancelled_enterprise_may_enrol_again_at_the_end_of_the_queue() -> None:
    w = wired()
    await register(w, "u1")
    session = await planned_session(w)
    first = await w.enrolment.enrol(session.session_id, "u1", officer())
    await w.enrolment.cancel(session.session_id, first.enrollment.enrollment_id, officer())
    again = await w.enrolment.enrol(session.session_id, "u1", officer())
    assert again.enrollment.enrollment_id != first.enrollment.enrollment_id


async def test_only_registered_enterprises_of_the_sessions_centre_may_enrol() -> None:
    w = wired()
    await register(w, "local")
    await register(w, "elsewhere", centre_id="malang")
    session = await planned_session(w)
    for unknown in ("nobody", "elsewhere"):
        with pytest.raises(DomainValidationError) as refused:
            await w.enrolment.enrol(session.session_id, unknown, officer())
        assert refused.value.field == "umkm_id"
    assert w.events("training.enrollment.confirmed") == []


async def test_an_erased_enterprise_may_not_enrol() -> None:
    w = wired()
    await register(w, "u1")
    await deliver(w, erased("u1"))
    session = await planned_session(w)
    with pytest.raises(DomainValidationError, match="erasure"):
        await w.enrolment.enrol(session.session_id, "u1", officer())


async def test_a_course_for_small_enterprises_refuses_a_micro_one() -> None:
    w = wired()
    await register(w, "micro")
    await register(w, "small", scale_class=ScaleClass.SMALL)
    session = await planned_session(w, target_scale_classes=["small"])
    with pytest.raises(DomainValidationError, match="scale classes: small"):
        await w.enrolment.enrol(session.session_id, "micro", officer())
    placed = await w.enrolment.enrol(session.session_id, "small", officer())
    assert str(placed.enrollment.status) == "confirmed"


async def test_another_centres_session_looks_unknown() -> None:
    w = wired()
    await register(w, "u1")
    session = await planned_session(w)
    with pytest.raises(NotFound):
        await w.enrolment.enrol(session.session_id, "u1", officer("malang"))


async def test_enrolment_closes_when_the_session_begins() -> None:
    w = wired()
    await register(w, "u1")
    session = await planned_session(w)
    w.clock.now = session.schedule.starts_at
    with pytest.raises(StateConflict, match="closed"):
        await w.enrolment.enrol(session.session_id, "u1", officer())


async def test_a_full_waiting_list_refuses_more() -> None:
    w = wired(waitlist_max=1)
    await register(w, "u1", "u2", "u3")
    session = await planned_session(w, capacity=1)
    await w.enrolment.enrol(session.session_id, "u1", officer())
    await w.enrolment.enrol(session.session_id, "u2", officer())
    with pytest.raises(StateConflict, match="full"):
        await w.enrolment.enrol(session.session_id, "u3", officer())
