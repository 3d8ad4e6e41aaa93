"""How courses, sessions (with their rosters) and certificate counters are stored."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from plut_shared.contracts.registration import ScaleClass
from plut_shared.messaging import Mapper

from training.domain.certificate import CertificateCounter
from training.domain.course import Course, Topic
from training.domain.roster import Enrollment, EnrollmentStatus, Roster
from training.domain.schedule import Schedule
from training.domain.session import SessionStatus, TrainingSession

COURSES = "courses"
SESSIONS = "sessions"
CERTIFICATE_COUNTERS = "certificate_counters"
_COURSE_FIELDS = ("centre_id", "title", "description", "prerequisite_course_id")


class CourseMapper(Mapper[Course]):
    def id_of(self, aggregate: Course) -> str:
        return aggregate.course_id

    def to_document(self, aggregate: Course) -> dict[str, Any]:
        return {name: getattr(aggregate, name) for name in _COURSE_FIELDS} | {
            "topic": str(aggregate.topic),
            "target_scale_classes": [str(c) for c in aggregate.target_scale_classes],
            "target_sectors": list(aggregate.target_sectors),
            "min_attendance_percent": aggregate.min_attendance_percent,
            "created_at": aggregate.created_at,
        }

    def from_document(self, document: Mapping[str, Any]) -> Course:
        return Course(
            course_id=document["_id"],
            **{name: document[name] for name in _COURSE_FIELDS},
            topic=Topic(document["topic"]),
            target_scale_classes=[ScaleClass(c) for c in document["target_scale_classes"]],
            target_sectors=list(document["target_sectors"]),
            min_attendance_percent=document["min_attendance_percent"],
            created_at=document["created_at"],
        )


class SessionMapper(Mapper[TrainingSession]):
    def id_of(self, aggregate: TrainingSession) -> str:
        return aggregate.session_id

    def to_document(self, aggregate: TrainingSession) -> dict[str, Any]:
        schedule = aggregate.schedule
        return {
            "course_id": aggregate.course_id,
            "centre_id": aggregate.centre_id,
            "title": aggregate.title,
            "starts_at": schedule.starts_at,
            "ends_at": schedule.ends_at,
            "venue": schedule.venue,
            "online_link": schedule.online_link,
            "trainer": aggregate.trainer,
            "capacity": aggregate.capacity,
            "waitlist_max": aggregate.waitlist_max,
            "status": str(aggregate.status),
            "cancel_reason": aggregate.cancel_reason,
            "enrollments": [_enrollment_document(e) for e in aggregate.roster.enrollments],
        }

    def from_document(self, document: Mapping[str, Any]) -> TrainingSession:
        schedule = Schedule(
            document["starts_at"], document["ends_at"], document["venue"], document["online_link"]
        )
        return TrainingSession(
            session_id=document["_id"],
            course_id=document["course_id"],
            centre_id=document["centre_id"],
            title=document["title"],
            schedule=schedule,
            trainer=document["trainer"],
            capacity=document["capacity"],
            waitlist_max=document["waitlist_max"],
            status=SessionStatus(document["status"]),
            cancel_reason=document["cancel_reason"],
            roster=Roster([_enrollment(e) for e in document["enrollments"]]),
        )


def _enrollment_document(enrollment: Enrollment) -> dict[str, Any]:
    return {
        "enrollment_id": enrollment.enrollment_id,
        "umkm_id": enrollment.umkm_id,
        "status": str(enrollment.status),
        "enrolled_at": enrollment.enrolled_at,
        "attended": [day.isoformat() for day in enrollment.attended],  # BSON has no date type
        "certificate_number": enrollment.certificate_number,
        "completed_at": enrollment.completed_at,
        "cancelled_at": enrollment.cancelled_at,
        "cancel_reason": enrollment.cancel_reason,
    }


def _enrollment(document: Mapping[str, Any]) -> Enrollment:
    return Enrollment(
        enrollment_id=document["enrollment_id"],
        umkm_id=document["umkm_id"],
        status=EnrollmentStatus(document["status"]),
        enrolled_at=document["enrolled_at"],
        attended=[date.fromisoformat(day) for day in document["attended"]],
        certificate_number=document["certificate_number"],
        completed_at=document["completed_at"],
        cancelled_at=document["cancelled_at"],
        cancel_reason=document["cancel_reason"],
    )


class CounterMapper(Mapper[CertificateCounter]):
    def id_of(self, aggregate: CertificateCounter) -> str:
        return aggregate.counter_id

    def to_document(self, aggregate: CertificateCounter) -> dict[str, Any]:
        return {"centre_id": aggregate.centre_id, "year": aggregate.year, "last": aggregate.last}

    def from_document(self, document: Mapping[str, Any]) -> CertificateCounter:
        return CertificateCounter(document["centre_id"], document["year"], document["last"])
