"""Response models of the catalogue and enrolments: times in UTC and, beside them, in WIB."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from training.domain.course import Course
from training.domain.enterprise import ServedEnterprise
from training.domain.roster import Enrollment, EnrollmentStatus
from training.domain.session import TrainingSession
from training.domain.times import wib
from training.handlers.enrolment import Placement


class CourseView(BaseModel):
    course_id: str
    centre_id: str
    topic: str
    title: str
    description: str
    prerequisite_course_id: str | None
    target_scale_classes: list[str] = Field(description="Empty: every class.")
    target_sectors: list[str] = Field(description="Empty: every sector.")
    min_attendance_percent: int

    @classmethod
    def of(cls, course: Course) -> CourseView:
        return cls(
            **{name: getattr(course, name) for name in cls.model_fields if name != "topic"},
            topic=str(course.topic),
        )


class EnrollmentView(BaseModel):
    enrollment_id: str
    session_id: str
    umkm_id: str
    status: str = Field(description="confirmed, waitlisted, cancelled or completed.")
    waitlist_position: int | None = Field(description="1 for the first waiting; else null.")
    enrolled_at: datetime
    attended_days: list[date] = Field(description="Session days (WIB) attended.")
    certificate_number: str | None

    @classmethod
    def of(cls, session: TrainingSession, enrollment: Enrollment) -> EnrollmentView:
        return cls.placed(
            session.session_id, Placement(enrollment, session.roster.position(enrollment))
        )

    @classmethod
    def off_waitlist(cls, session_id: str, enrollment: Enrollment) -> EnrollmentView:
        """One not waiting (cancelled, seated or completed): no roster needed for its place."""
        if enrollment.status is EnrollmentStatus.WAITLISTED:
            raise ValueError(f"enrolment {enrollment.enrollment_id} is on the waiting list")
        return cls.placed(session_id, Placement(enrollment, None))

    @classmethod
    def placed(cls, session_id: str, placement: Placement) -> EnrollmentView:
        enrollment = placement.enrollment
        return cls(
            enrollment_id=enrollment.enrollment_id,
            session_id=session_id,
            umkm_id=enrollment.umkm_id,
            status=str(enrollment.status),
            waitlist_position=placement.waitlist_position,
            enrolled_at=enrollment.enrolled_at,
            attended_days=enrollment.attended,
            certificate_number=enrollment.certificate_number,
        )


class SessionView(BaseModel):
    session_id: str
    course_id: str
    centre_id: str
    title: str
    starts_at: datetime = Field(description="UTC.")
    ends_at: datetime = Field(description="UTC.")
    starts_at_wib: datetime = Field(description="The same instant in WIB (UTC+07:00).")
    ends_at_wib: datetime = Field(description="The same instant in WIB (UTC+07:00).")
    days: list[date] = Field(description="Calendar days of the session, in WIB.")
    venue: str | None
    online_link: str | None
    trainer: str
    capacity: int
    seats_taken: int
    waitlist_length: int
    status: str = Field(description="scheduled, cancelled or completed.")
    cancel_reason: str

    @classmethod
    def of(cls, session: TrainingSession) -> SessionView:
        schedule, roster = session.schedule, session.roster
        return cls(
            session_id=session.session_id,
            course_id=session.course_id,
            centre_id=session.centre_id,
            title=session.title,
            starts_at=schedule.starts_at,
            ends_at=schedule.ends_at,
            starts_at_wib=wib(schedule.starts_at),
            ends_at_wib=wib(schedule.ends_at),
            days=session.days,
            venue=schedule.venue,
            online_link=schedule.online_link,
            trainer=session.trainer,
            capacity=session.capacity,
            seats_taken=len(roster.seated()),
            waitlist_length=len(roster.waitlist()),
            status=str(session.status),
            cancel_reason=session.cancel_reason,
        )


class CancellationView(BaseModel):
    cancelled: EnrollmentView
    promoted: EnrollmentView | None = Field(description="Who got the freed seat, if anyone.")


class EnterpriseView(BaseModel):
    """What training knows of an enterprise; names are shown only on certificates."""

    umkm_id: str
    centre_id: str
    registered: bool
    scale_class: str | None
    sector: str | None
    erased: bool
    completed_courses: list[str]

    @classmethod
    def of(cls, enterprise: ServedEnterprise) -> EnterpriseView:
        return cls(**{name: getattr(enterprise, name) for name in cls.model_fields})
