"""What financing knows of an enterprise: a read model kept from `registration.*` events.

It holds what eligibility and the partner offer need (centre, class, sector,
founding year, consents, and the owner's name, NIK and phone for partners the
owner consented to) plus the training sessions the owner completed. Erasure
(`registration.umkm.erased`) drops every personal field for good; a stub is
made when a training event arrives before the registration, and filled later.
It records no events: it only mirrors other services' facts, plus one of
financing's own, how many referral slots the enterprise has used (a hint that
saves reads, see `financing.referral_slots`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from plut_shared.contracts import Payload
from plut_shared.contracts.registration import Consents, ScaleClass, UmkmRegistered

FINANCING_CONSENT = "financing_partners"
# profile_updated fields this read model keeps (the others are not financing's business).
KEPT_FIELDS = ("business_name", "sector", "owner_name", "nik", "phone", "founding_year")


@dataclass
class EnterpriseProfile:
    umkm_id: str
    centre_id: str
    registered: bool = False
    business_name: str | None = None
    sector: str | None = None
    scale_class: ScaleClass | None = None
    founding_year: int | None = None
    owner_name: str | None = None
    nik: str | None = None
    phone: str | None = None
    consents: dict[str, bool] = field(default_factory=dict)
    erased: bool = False
    completed_sessions: list[str] = field(default_factory=list)
    referrals_made: int = 0  # slots 0 .. referrals_made - 1 hold referrals

    @classmethod
    def stub(cls, umkm_id: str, centre_id: str) -> EnterpriseProfile:
        return cls(umkm_id=umkm_id, centre_id=centre_id)

    def register(self, payload: UmkmRegistered) -> None:
        if self.erased:
            return  # a late copy of the registration must not bring erased data back
        self.registered = True
        self.business_name, self.sector = payload.business_name, payload.sector
        self.scale_class, self.founding_year = payload.scale_class, payload.founding_year
        self.owner_name, self.nik, self.phone = payload.owner_name, payload.nik, payload.phone
        self.consents = payload.consents.model_dump()

    def update_profile(self, changed: Mapping[str, object]) -> None:
        if self.erased:
            return
        for name in KEPT_FIELDS:
            if name in changed:
                value = changed[name]
                setattr(self, name, _year(value) if name == "founding_year" else _text(value))

    def change_scale(self, to_class: ScaleClass) -> None:
        self.scale_class = to_class

    def change_consents(self, consents: Consents) -> None:
        if not self.erased:
            self.consents = consents.model_dump()

    def erase(self) -> None:
        self.erased = True
        self.business_name = self.owner_name = self.nik = self.phone = None
        self.consents = {}

    def complete_session(self, session_id: str) -> None:
        if session_id not in self.completed_sessions:
            self.completed_sessions.append(session_id)

    def note_referral(self, slot: int) -> None:
        # Writers may finish out of order: the hint only ever rises.
        self.referrals_made = max(self.referrals_made, slot + 1)

    def consents_to(self, purpose: str) -> bool:
        return not self.erased and self.consents.get(purpose) is True

    def pull_events(self) -> list[Payload]:
        return []


def _year(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value: object) -> str | None:
    return None if value is None else str(value)


@dataclass
class CourseSession:
    """Which course a training session belongs to (from `training.session.scheduled`)."""

    session_id: str
    centre_id: str
    course_id: str

    def pull_events(self) -> list[Payload]:
        return []
