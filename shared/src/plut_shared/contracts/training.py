"""Contracts of the training service: `training.*` events.

No payload carries personal data: enterprises appear by id only, and the
outcome notes of a mentoring appointment stay inside the service.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from plut_shared.contracts.catalog import Payload, event
from plut_shared.contracts.text import Code, FreeText, Label, Name


class _Session(Payload):
    session_id: Code = Field(description="Id of the training session.")
    course_id: Code = Field(description="Id of the course.")
    topic: Name = Field(
        description="Course title as owners read it, e.g. `Pemasaran digital`, "
        "`Pembukuan SAK EMKM`."
    )
    starts_at: datetime = Field(description="Start, UTC.")
    ends_at: datetime = Field(description="End, UTC.")
    capacity: int = Field(ge=1, le=100_000, description="Seats.")
    place: Name = Field(description="Venue, or `Daring: <link>` for an online session.")


@event("training.session.scheduled")
class SessionScheduled(_Session):
    pass


@event("training.session.cancelled")
class SessionCancelled(_Session):
    reason: FreeText = Field(default="", description="Why the session was cancelled.")


@event("training.session.rescheduled")
class SessionRescheduled(_Session):
    previous_starts_at: datetime = Field(description="Start before the change, UTC.")
    previous_ends_at: datetime = Field(description="End before the change, UTC.")
    reason: FreeText = Field(default="", description="Why the session moved.")


class _Enrollment(Payload):
    umkm_id: Code = Field(description="Id of the enterprise.")
    session_id: Code = Field(description="Id of the training session.")
    topic: Label = Field(default="", description="Topic of the session, for notifications.")
    starts_at: datetime | None = Field(default=None, description="Session start, UTC.")
    place: Label = Field(default="", description="Venue of the session.")
    course_id: Code = Field(default="", description="Id of the session's course.")


@event("training.enrollment.confirmed")
class EnrollmentConfirmed(_Enrollment):
    rescheduled: bool = Field(
        default=False,
        description="True when the seat is re-confirmed because the session moved; a "
        "`training.enrollment.cancelled` with reason `session_rescheduled` precedes it.",
    )


@event("training.enrollment.waitlisted")
class EnrollmentWaitlisted(_Enrollment):
    waitlist_position: int = Field(ge=1, le=100_000, description="Position on the waiting list.")


@event("training.enrollment.promoted")
class EnrollmentPromoted(_Enrollment):
    pass


@event("training.enrollment.cancelled")
class EnrollmentCancelled(_Enrollment):
    reason: Code = Field(
        default="",
        description="`withdrawn` (the enterprise or an officer cancelled it), "
        "`session_cancelled`, `session_rescheduled` (the seat is re-confirmed at the new "
        "time by a `training.enrollment.confirmed` that follows), or `erased` (the owner had "
        "their data erased; nobody is to be told).",
    )


@event("training.participant.completed")
class ParticipantCompleted(_Enrollment):
    certificate_number: Code = Field(
        description="Number of the certificate issued, e.g. `PLUT-KMJ-2026-000123`."
    )


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
    previous_at: datetime | None = Field(
        default=None, description="Time before a rescheduling, UTC; absent for a new booking."
    )


@event("training.mentoring.cancelled")
class MentoringCancelled(_Mentoring):
    reason: Code = Field(
        default="",
        description="`withdrawn` (an officer cancelled it) or `erased` (the owner had their "
        "data erased; nobody is to be told); empty from producers older than this field.",
    )


@event("training.mentoring.completed")
class MentoringCompleted(_Mentoring):
    pass
