"""Session use cases on the in-memory store: cancel, reschedule, attendance, completion."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from plut_shared.contracts import make_envelope
from plut_shared.contracts.training import ParticipantCompleted
from training.domain.commands import (
    CancelSession,
    CreateCourse,
    RescheduleSession,
    ScheduleSession,
)
from training.domain.errors import DomainValidationError, StateConflict
from training.handlers.common import CentreNotAllowed, NotFound

from tests.unit.training.fakes import CENTRE, deliver, officer, planned_session, register, wired


async def test_cancelling_a_session_cancels_every_participant_then_the_session() -> None:
    w = wired()
    await register(w, "u1", "u2", "u3")
    session = await planned_session(w, capacity=2)
    for umkm_id in ("u1", "u2", "u3"):
        await w.enrolment.enrol(session.session_id, umkm_id, officer())
    await w.catalogue.cancel(session.session_id, CancelSession(reason="Trainer sakit"), officer())
    cancelled = w.events("training.enrollment.cancelled")
    assert sorted(e.payload["umkm_id"] for e in cancelled) == ["u1", "u2", "u3"]
    assert {e.payload["reason"] for e in cancelled} == {"session_cancelled"}
    (called_off,) = w.events("training.session.cancelled")
    assert called_off.payload["reason"] == "Trainer sakit"
    types = [e.event_type for e in w.stores.sessions.events]  # type: ignore[attr-defined]
    assert types[-1] == "training.session.cancelled"
    with pytest.raises(StateConflict):
        await w.enrolment.enrol(session.session_id, "u1", officer())


async def test_rescheduling_moves_each_seated_participants_reminder() -> None:
    w = wired()
    await register(w, "u1", "u2")
    session = await planned_session(w, capacity=1)
    await w.enrolment.enrol(session.session_id, "u1", officer())
    await w.enrolment.enrol(session.session_id, "u2", officer())  # waiting: had no reminder
    later = session.schedule.starts_at + timedelta(days=7)
    command = RescheduleSession(
        starts_at=later, ends_at=later + timedelta(hours=6), reason="Banjir"
    )
    await w.catalogue.reschedule(session.session_id, command, officer())
    (cancelled,) = w.events("training.enrollment.cancelled")
    assert (cancelled.payload["umkm_id"], cancelled.payload["reason"]) == (
        "u1", "session_rescheduled"
    )  # fmt: skip
    reconfirmed = w.events("training.enrollment.confirmed")[-1]
    assert reconfirmed.payload["rescheduled"] is True
    assert datetime.fromisoformat(reconfirmed.payload["starts_at"]) == later
    (moved,) = w.events("training.session.rescheduled")
    assert datetime.fromisoformat(moved.payload["previous_starts_at"]) == session.schedule.starts_at


async def test_a_session_cannot_be_moved_into_the_past() -> None:
    w = wired()
    session = await planned_session(w)
    past = w.clock.now - timedelta(hours=1)
    command = RescheduleSession(starts_at=past, ends_at=past + timedelta(hours=2))
    with pytest.raises(DomainValidationError) as refused:
        await w.catalogue.reschedule(session.session_id, command, officer())
    assert refused.value.field == "starts_at"
    assert w.events("training.session.rescheduled") == []


async def test_a_naive_time_is_refused_not_guessed() -> None:
    w = wired()
    course = await w.catalogue.create_course(
        CreateCourse(centre_id=CENTRE, topic="e_commerce"), officer()
    )
    naive = datetime(2026, 6, 10, 9, 0)
    command = ScheduleSession(
        starts_at=naive, ends_at=naive + timedelta(hours=2), venue="Aula", trainer="T", capacity=5
    )
    with pytest.raises(DomainValidationError) as refused:
        await w.catalogue.schedule_session(course.course_id, command, officer())
    assert refused.value.field == "starts_at"
    assert w.stores.sessions.documents == {}  # type: ignore[attr-defined]


async def test_completion_follows_the_courses_attendance_rule_and_numbers_certificates() -> None:
    w = wired()
    await register(w, "u1", "u2")
    session = await planned_session(w, capacity=5, days=2, min_attendance_percent=100)
    for umkm_id in ("u1", "u2"):
        await w.enrolment.enrol(session.session_id, umkm_id, officer())
    first, second = session.days
    w.clock.now = session.schedule.ends_at
    await w.enrolment.record_attendance(session.session_id, first, ["u1", "u2"], officer())
    await w.enrolment.record_attendance(session.session_id, second, ["u1"], officer())
    completed = await w.enrolment.complete(session.session_id, officer())
    assert [(e.umkm_id, e.certificate_number) for e in completed] == [
        ("u1", "PLUT-KMJ-2026-000001")
    ]
    (event,) = w.events("training.participant.completed")
    assert event.payload["certificate_number"] == "PLUT-KMJ-2026-000001"
    assert event.payload["course_id"] == session.course_id


async def test_certificate_numbers_continue_across_sessions_of_a_centre_and_year() -> None:
    w = wired()
    await register(w, "u1", "u2")
    numbers = []
    for umkm_id in ("u1", "u2"):
        session = await planned_session(w, min_attendance_percent=50)
        await w.enrolment.enrol(session.session_id, umkm_id, officer())
        w.clock.now = session.schedule.ends_at
        await w.enrolment.record_attendance(
            session.session_id, session.days[0], [umkm_id], officer()
        )
        numbers += [
            e.certificate_number for e in await w.enrolment.complete(session.session_id, officer())
        ]
        w.clock.now = session.schedule.ends_at - timedelta(days=3)
    assert numbers == ["PLUT-KMJ-2026-000001", "PLUT-KMJ-2026-000002"]


async def test_attendance_is_refused_ahead_of_the_day_and_for_strangers() -> None:
    w = wired()
    await register(w, "u1")
    session = await planned_session(w)
    await w.enrolment.enrol(session.session_id, "u1", officer())
    with pytest.raises(DomainValidationError, match="ahead"):
        await w.enrolment.record_attendance(session.session_id, session.days[0], ["u1"], officer())
    w.clock.now = session.schedule.starts_at
    with pytest.raises(DomainValidationError) as refused:
        await w.enrolment.record_attendance(session.session_id, session.days[0], ["x"], officer())
    assert refused.value.field == "present"
    with pytest.raises(DomainValidationError, match="not a day"):
        await w.enrolment.record_attendance(session.session_id, date(2026, 1, 1), [], officer())


async def test_completion_waits_for_the_last_day() -> None:
    w = wired()
    session = await planned_session(w)
    with pytest.raises(StateConflict, match="last day"):
        await w.enrolment.complete(session.session_id, officer())


async def test_a_course_for_another_centre_is_refused() -> None:
    w = wired()
    with pytest.raises(CentreNotAllowed):
        await w.catalogue.create_course(
            CreateCourse(centre_id="malang", topic="halal_certification"), officer()
        )
    assert w.stores.courses.documents == {}  # type: ignore[attr-defined]


async def test_a_prerequisite_must_be_completed_before_enrolling() -> None:
    w = wired()
    await register(w, "u1")
    basics = await w.catalogue.create_course(
        CreateCourse(centre_id=CENTRE, topic="sak_emkm_bookkeeping"), officer()
    )
    session = await planned_session(w, prerequisite_course_id=basics.course_id)
    with pytest.raises(DomainValidationError, match="prerequisite"):
        await w.enrolment.enrol(session.session_id, "u1", officer())
    done = ParticipantCompleted(
        umkm_id="u1", session_id="s0", certificate_number="PLUT-KMJ-2026-000009",
        course_id=basics.course_id,
    )  # fmt: skip
    await deliver(w, make_envelope(done, producer="training", centre_id=CENTRE,
                                   subject_id="s0", correlation_id="c"))  # fmt: skip
    placed = await w.enrolment.enrol(session.session_id, "u1", officer())
    assert str(placed.enrollment.status) == "confirmed"
    listed = await w.catalogue.courses(officer("malang"), limit=10, offset=0)
    assert listed == []
    with pytest.raises(NotFound):
        await w.catalogue.course(basics.course_id, officer("malang"))


async def test_text_that_hides_things_is_refused_by_the_platforms_rules() -> None:
    w = wired()
    course = await w.catalogue.create_course(
        CreateCourse(centre_id=CENTRE, topic="export_readiness"), officer()
    )
    starts = w.clock.now + timedelta(days=2)
    command = ScheduleSession(
        starts_at=starts, ends_at=starts + timedelta(hours=3), venue="Aula",
        trainer="Budi \u202eosotnaS", capacity=5,
    )  # fmt: skip
    with pytest.raises(DomainValidationError) as refused:
        await w.catalogue.schedule_session(course.course_id, command, officer())
    assert refused.value.field == "trainer" and "direction" in refused.value.message
