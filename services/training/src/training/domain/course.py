"""A course of a centre's catalogue: what is taught, to whom, and when it counts as completed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from plut_shared.contracts import Payload
from plut_shared.contracts.registration import ScaleClass

from training.domain.enterprise import ServedEnterprise
from training.domain.errors import DomainValidationError
from training.domain.text import clean_text


class Topic(StrEnum):
    """The common PLUT training topics."""

    DIGITAL_MARKETING = "digital_marketing"
    SAK_EMKM_BOOKKEEPING = "sak_emkm_bookkeeping"
    PACKAGING_BRANDING = "packaging_branding"
    HALAL_CERTIFICATION = "halal_certification"
    E_COMMERCE = "e_commerce"
    EXPORT_READINESS = "export_readiness"


TOPIC_TITLES = {
    Topic.DIGITAL_MARKETING: "Pemasaran digital",
    Topic.SAK_EMKM_BOOKKEEPING: "Pembukuan SAK EMKM",
    Topic.PACKAGING_BRANDING: "Kemasan dan merek",
    Topic.HALAL_CERTIFICATION: "Sertifikasi halal",
    Topic.E_COMMERCE: "E-commerce",
    Topic.EXPORT_READINESS: "Kesiapan ekspor",
}
MAX_TARGETS = 20


@dataclass(eq=False)
class Course:
    course_id: str
    centre_id: str
    topic: Topic
    title: str
    description: str
    prerequisite_course_id: str | None
    target_scale_classes: list[ScaleClass]
    target_sectors: list[str]
    min_attendance_percent: int
    created_at: datetime
    pending_events: list[Payload] = field(default_factory=list)

    @classmethod
    def create(
        cls,
        *,
        course_id: str,
        centre_id: str,
        topic: Topic,
        title: str | None,
        description: str = "",
        prerequisite: Course | None = None,
        target_scale_classes: list[ScaleClass] | None = None,
        target_sectors: list[str] | None = None,
        min_attendance_percent: int = 100,
        at: datetime,
    ) -> Course:
        if prerequisite is not None and prerequisite.centre_id != centre_id:
            raise DomainValidationError("prerequisite_course_id", "no course of this centre")
        if not 1 <= min_attendance_percent <= 100:
            raise DomainValidationError("min_attendance_percent", "between 1 and 100")
        return cls(
            course_id=course_id,
            centre_id=centre_id,
            topic=Topic(topic),
            title=clean_text("title", title or TOPIC_TITLES[Topic(topic)], max_length=120),
            description=clean_text("description", description, max_length=2000, required=False),
            prerequisite_course_id=None if prerequisite is None else prerequisite.course_id,
            target_scale_classes=sorted(set(target_scale_classes or [])),
            target_sectors=_sectors(target_sectors or []),
            min_attendance_percent=min_attendance_percent,
            created_at=at,
        )

    def ensure_suits(self, enterprise: ServedEnterprise) -> None:
        """The course's targets and prerequisite, checked for one enterprise."""
        classes = self.target_scale_classes
        if classes and enterprise.scale_class not in classes:
            wanted = ", ".join(classes)
            raise DomainValidationError("umkm_id", f"the course is for scale classes: {wanted}")
        sector = (enterprise.sector or "").casefold()
        if self.target_sectors and sector not in self.target_sectors:
            wanted = ", ".join(self.target_sectors)
            raise DomainValidationError("umkm_id", f"the course is for sectors: {wanted}")
        needed = self.prerequisite_course_id
        if needed and needed not in enterprise.completed_courses:
            raise DomainValidationError(
                "umkm_id", f"the enterprise has not completed the prerequisite course {needed}"
            )

    def completes(self, attended_days: int, session_days: int) -> bool:
        return attended_days * 100 >= self.min_attendance_percent * session_days

    def pull_events(self) -> list[Payload]:
        return []  # the catalogue is internal: no event announces a course


def _sectors(raw: list[str]) -> list[str]:
    if len(raw) > MAX_TARGETS:
        raise DomainValidationError("target_sectors", f"at most {MAX_TARGETS} sectors")
    cleaned = {clean_text("target_sectors", s, max_length=60).casefold() for s in raw}
    return sorted(cleaned)
