"""The enterprises training may serve: a read model built from `registration.*` events.

Training keeps what its rules need (centre, scale class, sector, consents,
erased, completed courses) and the two names a certificate prints. Erasure
drops the names and consents and keeps only what counts need.

It also lists the sessions the enterprise enrolled in and the mentoring
appointments it booked, learnt from training's own events, so that an erasure
finds them by id instead of scanning every session (README, "Erasure").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from plut_shared.contracts import Payload

from training.domain.errors import DomainValidationError

_NOT_SERVED = "no registered enterprise of the session's centre has this id"


@dataclass(eq=False)
class ServedEnterprise:
    umkm_id: str
    centre_id: str
    registered: bool = False
    scale_class: str | None = None
    sector: str | None = None
    consents: dict[str, bool] = field(default_factory=dict)
    owner_name: str | None = None
    business_name: str | None = None
    erased: bool = False
    completed_courses: list[str] = field(default_factory=list)
    session_ids: list[str] = field(default_factory=list)
    appointment_ids: list[str] = field(default_factory=list)

    def on_registered(self, payload: Any) -> None:
        self.registered = True
        self.scale_class = str(payload.scale_class)
        self.sector = payload.sector
        self.consents = dict(payload.consents.model_dump())
        if not self.erased:  # an erasure that overtook the registration still holds
            self.owner_name, self.business_name = payload.owner_name, payload.business_name

    def on_profile_updated(self, changed: Mapping[str, Any]) -> None:
        if changed.get("sector"):
            self.sector = str(changed["sector"])
        if self.erased:
            return
        if changed.get("owner_name"):
            self.owner_name = str(changed["owner_name"])
        if changed.get("business_name"):
            self.business_name = str(changed["business_name"])

    def on_scale_changed(self, to_class: str) -> None:
        self.scale_class = to_class

    def on_consent_changed(self, consents: Mapping[str, bool]) -> None:
        if not self.erased:
            self.consents = dict(consents)

    def on_erased(self) -> None:
        self.erased = True
        self.owner_name = self.business_name = None
        self.consents = {}

    def on_completed(self, course_id: str, session_id: str) -> None:
        if course_id and course_id not in self.completed_courses:
            self.completed_courses.append(course_id)
        # A completed session takes no more changes: an erasure has nothing to do there.
        if session_id in self.session_ids:
            self.session_ids.remove(session_id)

    def on_enrolled(self, session_id: str) -> None:
        # Kept after a cancellation: a re-enrolment's event may overtake the
        # cancellation's, and a stale id only costs an erasure one read.
        if session_id not in self.session_ids:
            self.session_ids.append(session_id)

    def on_booked(self, appointment_id: str) -> None:
        if appointment_id not in self.appointment_ids:
            self.appointment_ids.append(appointment_id)

    def ensure_served_by(self, centre_id: str) -> None:
        """Only registered, non-erased enterprises of the centre may enrol or book."""
        if not self.registered or self.centre_id != centre_id:
            raise DomainValidationError("umkm_id", _NOT_SERVED)
        if self.erased:
            raise DomainValidationError("umkm_id", "the enterprise's owner asked for erasure")

    def pull_events(self) -> list[Payload]:
        return []  # a read model: it records no events of its own


def not_served() -> DomainValidationError:
    return DomainValidationError("umkm_id", _NOT_SERVED)
