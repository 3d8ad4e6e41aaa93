"""Contracts of the training service: `training.*` events."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from plut_shared.contracts.catalog import Payload, event
from plut_shared.contracts.text import Code, FreeText, Label, Name


class _Session(Payload):
    session_id: Code = Field(description="Id of the training session.")
    course_id: Code = Field(description="Id of the course.")
    topic: Name = Field(description="Topic, e.g. `digital marketing`, `SAK EMKM bookkeeping`.")
    starts_at: datetime = Field(description="Start, UTC.")
    ends_at: datetime = Field(description="End, UTC.")
    capacity: int = Field(ge=1, le=100_000, description="Seats.")
    place: Name = Field(description="Venue or online link label.")


@event("training.session.scheduled")
class SessionScheduled(_Session):
    pass


@event("training.session.cancelled")
class SessionCancelled(_Session):
    reason: FreeText = Field(default="", description="Why the session was cancelled.")


class _Enrollment(Payload):
    umkm_id: Code = Field(description="Id of the enterprise.")
    session_id: Code = Field(description="Id of the training session.")
    topic: Label = Field(default="", description="Topic of the session, for notifications.")
    starts_at: datetime | None = Field(default=None, description="Session start, UTC.")
    place: Label = Field(default="", description="Venue of the session.")


@event("training.enrollment.confirmed")
class EnrollmentConfirmed(_Enrollment):
    pass


@event("training.enrollment.waitlisted")
class EnrollmentWaitlisted(_Enrollment):
    waitlist_position: int = Field(ge=1, le=100_000, description="Position on the waiting list.")


@event("training.enrollment.promoted")
class EnrollmentPromoted(_Enrollment):
    pass


@event("training.enrollment.cancelled")
class EnrollmentCancelled(_Enrollment):
    pass


@event("training.participant.completed")
class ParticipantCompleted(_Enrollment):
    certificate_number: Code = Field(description="Number of the certificate issued.")


class _Mentoring(Payload):
    umkm_id: Code = Field(description="Id of the enterprise.")
    appointment_id: Code = Field(description="Id of the mentoring appointment.")
    consultant_area: Code = Field(
        description="One of: institutions, human_resources, production, financing, "
        "marketing, it, partnership_networks."
    )
    at: datetime = Field(description="Appointment time, UTC.")


@event("training.mentoring.scheduled")
class MentoringScheduled(_Mentoring):
    pass


@event("training.mentoring.completed")
class MentoringCompleted(_Mentoring):
    pass
