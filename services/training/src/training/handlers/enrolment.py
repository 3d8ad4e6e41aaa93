"""Use cases of a session's participants: enrolment, cancellation, attendance, completion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from plut_shared.contracts import new_event_id
from plut_shared.messaging import AggregateExists, ConcurrentUpdate

from training.domain.centres import centre_of
from training.domain.certificate import CertificateCounter, counter_id
from training.domain.course import Course
from training.domain.errors import StateConflict
from training.domain.roster import Enrollment, EnrollmentStatus, UnknownEnrollment
from training.domain.session import TrainingSession
from training.domain.times import wib_date
from training.handlers.common import (
    Actor,
    ChangeConflict,
    Clock,
    NotFound,
    Stores,
    cause,
    change_visible,
    served_enterprise,
    update_visible,
    visible,
)


@dataclass(frozen=True)
class Placement:
    """An enrolment as decided, with its place on the waiting list (None when seated)."""

    enrollment: Enrollment
    waitlist_position: int | None


@dataclass(frozen=True)
class CertificateData:
    owner_name: str
    business_name: str
    course_title: str
    days: list[date]
    certificate_number: str
    centre_name: str
    issued_on: date


class EnrolmentHandlers:
    def __init__(self, stores: Stores, clock: Clock) -> None:
        self.stores = stores
        self.clock = clock

    async def enrol(self, session_id: str, umkm_id: str, actor: Actor) -> Placement:
        """Seat or waiting list, decided in the session's one compare-and-swap write."""
        session = await visible(self.stores.sessions, session_id, actor)
        enterprise = await served_enterprise(self.stores.enterprises, umkm_id, session.centre_id)
        (await self._course(session)).ensure_suits(enterprise)
        enrollment_id, now = new_event_id(), self.clock()

        def enrol(session: TrainingSession) -> Placement:
            enrollment = session.enrol(enrollment_id, umkm_id, now)
            return Placement(enrollment, session.roster.position(enrollment))

        return await change_visible(self.stores.sessions, session_id, actor, enrol)

    async def cancel(
        self, session_id: str, enrollment_id: str, actor: Actor
    ) -> tuple[Enrollment, Enrollment | None]:
        """Cancel an enrolment; returns it and whoever got the freed seat."""
        now = self.clock()

        def cancel(session: TrainingSession) -> tuple[Enrollment, Enrollment | None]:
            promoted = session.cancel_enrollment(enrollment_id, now)
            return session.roster.get(enrollment_id), promoted

        return await change_visible(self.stores.sessions, session_id, actor, cancel)

    async def record_attendance(
        self, session_id: str, day: date, present: list[str], actor: Actor
    ) -> TrainingSession:
        now = self.clock()
        return await update_visible(
            self.stores.sessions,
            session_id,
            actor,
            lambda s: s.record_attendance(day, set(present), now),
        )

    async def complete(self, session_id: str, actor: Actor) -> list[Enrollment]:
        """Complete every participant the course's rule admits, each with a new certificate."""
        session = await visible(self.stores.sessions, session_id, actor)
        course, now = await self._course(session), self.clock()
        due = session.due_for_completion(course, now)
        numbers = await self._numbers(session.centre_id, wib_date(now).year, len(due), actor)

        def complete(session: TrainingSession) -> list[Enrollment]:
            return session.complete(numbers, course, now)

        return await change_visible(self.stores.sessions, session_id, actor, complete)

    async def certificate(
        self, session_id: str, enrollment_id: str, actor: Actor
    ) -> CertificateData:
        session = await visible(self.stores.sessions, session_id, actor)
        try:
            enrollment = session.roster.get(enrollment_id)
        except UnknownEnrollment:
            raise NotFound(enrollment_id) from None
        if enrollment.status is not EnrollmentStatus.COMPLETED or enrollment.completed_at is None:
            raise StateConflict(f"the enrolment is {enrollment.status}, not completed")
        enterprise = await self.stores.enterprises.get(enrollment.umkm_id)
        if enterprise is None or enterprise.owner_name is None or not enterprise.business_name:
            raise StateConflict("the owner's name is no longer held (erased) or not yet known")
        return CertificateData(
            owner_name=enterprise.owner_name,
            business_name=enterprise.business_name,
            course_title=session.title,
            days=session.days,
            certificate_number=enrollment.certificate_number or "",
            centre_name=centre_of(session.centre_id).name,
            issued_on=wib_date(enrollment.completed_at),
        )

    async def _course(self, session: TrainingSession) -> Course:
        course = await self.stores.courses.get(session.course_id)
        if course is None:  # a session is planned from a stored course; courses are not deleted
            raise NotFound(session.course_id)
        return course

    async def _numbers(self, centre_id: str, year: int, count: int, actor: Actor) -> list[str]:
        if count == 0:
            return []
        counters, key = self.stores.counters, counter_id(centre_id, year)
        for _ in range(3):
            try:
                taken = await counters.change(key, lambda c: c.take(count), cause(actor))
            except ConcurrentUpdate:
                raise ChangeConflict(key) from None
            if taken is not None:
                return taken
            first = CertificateCounter(centre_id, year)
            numbers = first.take(count)
            try:
                await counters.add(first, cause(actor))
            except AggregateExists:
                continue  # another completion created this year's counter first
            return numbers
        raise ChangeConflict(key)
