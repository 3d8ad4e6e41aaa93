"""The enrolments of one session: seats in order of arrival, then a waiting list.

A `Roster` lives inside its session's document, so the decision "seat or
waiting list" and the duplicate check are part of the session's single
compare-and-swap write: two enrolments read the same version, one of them
wins, the other re-decides on the fresh roster (README, "Reliability").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from training.domain.errors import AlreadyEnrolled, DomainValidationError, StateConflict


class EnrollmentStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


HOLDS_SEAT = (EnrollmentStatus.CONFIRMED, EnrollmentStatus.COMPLETED)


class UnknownEnrollment(LookupError):
    pass


@dataclass(eq=False)
class Enrollment:
    enrollment_id: str
    umkm_id: str
    status: EnrollmentStatus
    enrolled_at: datetime
    attended: list[date] = field(default_factory=list)
    certificate_number: str | None = None
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str = ""

    @property
    def active(self) -> bool:
        return self.status is not EnrollmentStatus.CANCELLED

    def cancel(self, at: datetime, reason: str) -> None:
        self.status, self.cancelled_at, self.cancel_reason = EnrollmentStatus.CANCELLED, at, reason


@dataclass
class Roster:
    enrollments: list[Enrollment] = field(default_factory=list)

    def seated(self) -> list[Enrollment]:
        return [e for e in self.enrollments if e.status in HOLDS_SEAT]

    def waitlist(self) -> list[Enrollment]:
        return [e for e in self.enrollments if e.status is EnrollmentStatus.WAITLISTED]

    def confirmed(self) -> list[Enrollment]:
        return [e for e in self.enrollments if e.status is EnrollmentStatus.CONFIRMED]

    def active(self) -> list[Enrollment]:
        return [e for e in self.enrollments if e.active]

    def withdrawable(self, umkm_id: str, *, begun: bool) -> list[Enrollment]:
        """The enterprise's waiting place, and its seat while the session has not begun."""
        return [
            e
            for e in self.enrollments
            if e.umkm_id == umkm_id
            and (
                e.status is EnrollmentStatus.WAITLISTED
                or (e.status is EnrollmentStatus.CONFIRMED and not begun)
            )
        ]

    def get(self, enrollment_id: str) -> Enrollment:
        for enrollment in self.enrollments:
            if enrollment.enrollment_id == enrollment_id:
                return enrollment
        raise UnknownEnrollment(enrollment_id)

    def position(self, enrollment: Enrollment) -> int | None:
        """1 for the first on the waiting list; None for anyone not waiting."""
        ids = [e.enrollment_id for e in self.waitlist()]
        found = enrollment.enrollment_id
        return ids.index(found) + 1 if found in ids else None

    def add(
        self, enrollment_id: str, umkm_id: str, at: datetime, *, capacity: int, waitlist_max: int
    ) -> Enrollment:
        for existing in self.enrollments:
            if existing.umkm_id == umkm_id and existing.active:
                raise AlreadyEnrolled(existing.enrollment_id, existing.status)
        if len(self.seated()) < capacity:
            status = EnrollmentStatus.CONFIRMED
        elif len(self.waitlist()) < waitlist_max:
            status = EnrollmentStatus.WAITLISTED
        else:
            raise StateConflict("the session and its waiting list are full")
        enrollment = Enrollment(enrollment_id, umkm_id, status, at)
        self.enrollments.append(enrollment)
        return enrollment

    def promote_first(self) -> Enrollment | None:
        waiting = self.waitlist()
        if not waiting:
            return None
        waiting[0].status = EnrollmentStatus.CONFIRMED
        return waiting[0]

    def mark_attendance(self, day: date, present: set[str]) -> None:
        """`present` (umkm ids) attended `day`; every other confirmed participant did not."""
        holders = {e.umkm_id for e in self.confirmed()}
        for umkm_id in sorted(present - holders):
            raise DomainValidationError("present", f"{umkm_id} holds no confirmed seat here")
        for enrollment in self.confirmed():
            days = set(enrollment.attended)
            days = days | {day} if enrollment.umkm_id in present else days - {day}
            enrollment.attended = sorted(days)
