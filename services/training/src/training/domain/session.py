"""A training session: one course given at a time and place, with its roster.

Every operation checks everything first, then changes the session and
records contract payloads in `pending_events`; the aggregate store writes
state and events in one compare-and-swap (README, "Reliability").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from plut_shared.contracts import Payload
from plut_shared.contracts.training import SessionCancelled, SessionRescheduled, SessionScheduled

from training.domain import session_events as ev
from training.domain.course import Course
from training.domain.errors import DomainValidationError, StateConflict
from training.domain.roster import Enrollment, EnrollmentStatus, Roster
from training.domain.schedule import Schedule
from training.domain.text import clean_text
from training.domain.times import days_between, wib_date

MAX_CAPACITY = 500
_CANCELLABLE = (EnrollmentStatus.CONFIRMED, EnrollmentStatus.WAITLISTED)


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


@dataclass(eq=False)
class TrainingSession:
    session_id: str
    course_id: str
    centre_id: str
    title: str
    schedule: Schedule
    trainer: str
    capacity: int
    waitlist_max: int
    status: SessionStatus = SessionStatus.SCHEDULED
    cancel_reason: str = ""
    roster: Roster = field(default_factory=Roster)
    pending_events: list[Payload] = field(default_factory=list)

    @classmethod
    def plan(
        cls,
        course: Course,
        *,
        session_id: str,
        schedule: Schedule,
        trainer: str,
        capacity: int,
        waitlist_max: int,
        at: datetime,
    ) -> TrainingSession:
        schedule.ensure_future(at)
        if not 1 <= capacity <= MAX_CAPACITY:
            raise DomainValidationError("capacity", f"between 1 and {MAX_CAPACITY} seats")
        session = cls(
            session_id=session_id,
            course_id=course.course_id,
            centre_id=course.centre_id,
            title=course.title,
            schedule=schedule,
            trainer=clean_text("trainer", trainer, max_length=120),
            capacity=capacity,
            waitlist_max=waitlist_max,
        )
        session.pending_events.append(ev.session_payload(session, SessionScheduled))
        return session

    @property
    def days(self) -> list[date]:
        return days_between(self.schedule.starts_at, self.schedule.ends_at)

    def enrol(self, enrollment_id: str, umkm_id: str, at: datetime) -> Enrollment:
        self._ensure_open(at)
        enrollment = self.roster.add(
            enrollment_id, umkm_id, at, capacity=self.capacity, waitlist_max=self.waitlist_max
        )
        if enrollment.status is EnrollmentStatus.CONFIRMED:
            self.pending_events.append(ev.confirmed(self, enrollment))
        else:
            position = self.roster.position(enrollment) or 1
            self.pending_events.append(ev.waitlisted(self, enrollment, position))
        return enrollment

    def cancel_enrollment(
        self, enrollment_id: str, at: datetime, reason: str = ev.WITHDRAWN
    ) -> Enrollment | None:
        """Cancel one enrolment; a freed seat goes to the first waiting. Returns the promoted."""
        self._ensure_scheduled()
        enrollment = self.roster.get(enrollment_id)
        if enrollment.status not in _CANCELLABLE:
            raise StateConflict(f"the enrolment is {enrollment.status}")
        freed_seat = enrollment.status is EnrollmentStatus.CONFIRMED
        enrollment.cancel(at, reason)
        self.pending_events.append(ev.cancelled(self, enrollment, reason))
        if not freed_seat or at >= self.schedule.starts_at:
            return None  # once it has begun, a seat is no use to someone on the list
        promoted = self.roster.promote_first()
        if promoted is not None:
            self.pending_events.append(ev.promoted(self, promoted))
        return promoted

    def withdraw_erased(self, umkm_id: str, at: datetime) -> list[Enrollment]:
        """Cancel an erased owner's future seat or waiting place here, as a withdrawal does.

        A seat in a session that has begun, and any session no longer scheduled,
        stay as history. With nothing left to cancel nothing changes, so a
        redelivered erasure publishes nothing twice.
        """
        if self.status is not SessionStatus.SCHEDULED:
            return []
        due = self.roster.withdrawable(umkm_id, begun=at >= self.schedule.starts_at)
        for enrollment in due:
            self.cancel_enrollment(enrollment.enrollment_id, at, ev.ERASED)
        return due

    def cancel(self, reason: str, at: datetime) -> None:
        """Call the session off: every participant, seated or waiting, hears of it."""
        self._ensure_scheduled()
        self.cancel_reason = clean_text("reason", reason, max_length=300, required=False)
        for enrollment in self.roster.active():
            enrollment.cancel(at, ev.SESSION_CANCELLED)
            self.pending_events.append(ev.cancelled(self, enrollment, ev.SESSION_CANCELLED))
        self.status = SessionStatus.CANCELLED
        payload = ev.session_payload(self, SessionCancelled, reason=self.cancel_reason)
        self.pending_events.append(payload)

    def reschedule(self, schedule: Schedule, reason: str, at: datetime) -> None:
        """Move the session; seated participants' reminders move with it."""
        self._ensure_scheduled()
        schedule.ensure_future(at)
        if any(e.attended for e in self.roster.enrollments):
            raise StateConflict("attendance is recorded; the session can no longer move")
        previous, self.schedule = self.schedule, schedule
        why = clean_text("reason", reason, max_length=300, required=False)
        self.pending_events.append(
            ev.session_payload(
                self,
                SessionRescheduled,
                previous_starts_at=previous.starts_at,
                previous_ends_at=previous.ends_at,
                reason=why,
            )
        )
        for enrollment in self.roster.confirmed():
            # Notifications drop the old reminder on a cancellation of this session's
            # enrolment and schedule one for the new time on the confirmation.
            self.pending_events.append(ev.cancelled(self, enrollment, ev.SESSION_RESCHEDULED))
            self.pending_events.append(ev.confirmed(self, enrollment, rescheduled=True))

    def record_attendance(self, day: date, present: set[str], at: datetime) -> None:
        if self.status is SessionStatus.CANCELLED:
            raise StateConflict("the session was cancelled")
        if day not in self.days:
            raise DomainValidationError("day", "not a day of this session (dates are in WIB)")
        if day > wib_date(at):
            raise DomainValidationError("day", "attendance cannot be recorded ahead of the day")
        self.roster.mark_attendance(day, present)

    def due_for_completion(self, course: Course, at: datetime) -> list[Enrollment]:
        """Seated participants whose attendance meets the course's rule, not yet completed."""
        if self.status is SessionStatus.CANCELLED:
            raise StateConflict("the session was cancelled")
        if wib_date(at) < self.days[-1]:
            raise StateConflict("the session's last day has not begun")
        days = len(self.days)
        return [e for e in self.roster.confirmed() if course.completes(len(e.attended), days)]

    def complete(self, numbers: list[str], course: Course, at: datetime) -> list[Enrollment]:
        """Complete those due, each with one of `numbers` (taken beforehand), in roster order."""
        completed = []
        for enrollment, number in zip(self.due_for_completion(course, at), numbers, strict=False):
            enrollment.status, enrollment.completed_at = EnrollmentStatus.COMPLETED, at
            enrollment.certificate_number = number
            self.pending_events.append(ev.completed(self, enrollment))
            completed.append(enrollment)
        self.status = SessionStatus.COMPLETED
        return completed

    def pull_events(self) -> list[Payload]:
        events, self.pending_events = self.pending_events, []
        return events

    def _ensure_scheduled(self) -> None:
        if self.status is not SessionStatus.SCHEDULED:
            raise StateConflict(f"the session is {self.status}")

    def _ensure_open(self, at: datetime) -> None:
        self._ensure_scheduled()
        if at >= self.schedule.starts_at:
            raise StateConflict("enrolment closed when the session began")
