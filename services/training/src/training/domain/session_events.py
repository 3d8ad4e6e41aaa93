"""Builders of the contract payloads a session records (`plut_shared.contracts.training`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from plut_shared.contracts.training import (
    EnrollmentCancelled,
    EnrollmentConfirmed,
    EnrollmentPromoted,
    EnrollmentWaitlisted,
    ParticipantCompleted,
)

if TYPE_CHECKING:
    from training.domain.roster import Enrollment
    from training.domain.session import TrainingSession

# Reasons a `training.enrollment.cancelled` gives (see its contract).
WITHDRAWN = "withdrawn"
SESSION_CANCELLED = "session_cancelled"
SESSION_RESCHEDULED = "session_rescheduled"
ERASED = "erased"  # the owner had their data erased (also on `training.mentoring.cancelled`)

P = TypeVar("P")


def session_payload(session: TrainingSession, model: Callable[..., P], **extra: Any) -> P:
    return model(
        session_id=session.session_id,
        course_id=session.course_id,
        topic=session.title,
        starts_at=session.schedule.starts_at,
        ends_at=session.schedule.ends_at,
        capacity=session.capacity,
        place=session.schedule.place,
        **extra,
    )


def _enrollment(
    session: TrainingSession, enrollment: Enrollment, model: Callable[..., P], **extra: Any
) -> P:
    return model(
        umkm_id=enrollment.umkm_id,
        session_id=session.session_id,
        course_id=session.course_id,
        topic=session.title,
        starts_at=session.schedule.starts_at,
        place=session.schedule.place,
        **extra,
    )


def confirmed(
    session: TrainingSession, enrollment: Enrollment, *, rescheduled: bool = False
) -> EnrollmentConfirmed:
    return _enrollment(session, enrollment, EnrollmentConfirmed, rescheduled=rescheduled)


def waitlisted(
    session: TrainingSession, enrollment: Enrollment, position: int
) -> EnrollmentWaitlisted:
    return _enrollment(session, enrollment, EnrollmentWaitlisted, waitlist_position=position)


def promoted(session: TrainingSession, enrollment: Enrollment) -> EnrollmentPromoted:
    return _enrollment(session, enrollment, EnrollmentPromoted)


def cancelled(session: TrainingSession, enrollment: Enrollment, reason: str) -> EnrollmentCancelled:
    return _enrollment(session, enrollment, EnrollmentCancelled, reason=reason)


def completed(session: TrainingSession, enrollment: Enrollment) -> ParticipantCompleted:
    number = enrollment.certificate_number or ""
    return _enrollment(session, enrollment, ParticipantCompleted, certificate_number=number)
