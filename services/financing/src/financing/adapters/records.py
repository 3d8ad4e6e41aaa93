"""How financing's aggregates are stored: one mapper per collection.

Every write goes through the kernel's aggregate store (a compare-and-swap on
`{_id, version}`); a mapper only says how an aggregate looks as a document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from plut_shared.contracts.financing import FinancingScheme
from plut_shared.contracts.registration import ScaleClass
from plut_shared.messaging import Mapper

from financing.domain.enterprise import CourseSession, EnterpriseProfile
from financing.domain.referral import Referral
from financing.domain.status import Status, Step

ENTERPRISES = "enterprises"
SESSIONS = "course_sessions"
REFERRALS = "referrals"


class EnterpriseMapper(Mapper[EnterpriseProfile]):
    def id_of(self, aggregate: EnterpriseProfile) -> str:
        return aggregate.umkm_id

    def to_document(self, aggregate: EnterpriseProfile) -> dict[str, Any]:
        document = asdict(aggregate)
        del document["umkm_id"]
        scale = aggregate.scale_class
        document["scale_class"] = None if scale is None else str(scale)
        return document

    def from_document(self, document: Mapping[str, Any]) -> EnterpriseProfile:
        fields = {k: document[k] for k in EnterpriseProfile.__dataclass_fields__ if k in document}
        scale = fields.get("scale_class")
        fields["scale_class"] = None if scale is None else ScaleClass(scale)
        return EnterpriseProfile(umkm_id=document["_id"], **fields)


class SessionMapper(Mapper[CourseSession]):
    def id_of(self, aggregate: CourseSession) -> str:
        return aggregate.session_id

    def to_document(self, aggregate: CourseSession) -> dict[str, Any]:
        return {"centre_id": aggregate.centre_id, "course_id": aggregate.course_id}

    def from_document(self, document: Mapping[str, Any]) -> CourseSession:
        return CourseSession(document["_id"], document["centre_id"], document["course_id"])


_PLAIN = (
    "umkm_id", "centre_id", "amount", "rules_version", "partner_id", "answer_due_at",
    "offered", "erasure_sent", "disbursed_amount",
)  # fmt: skip


class ReferralMapper(Mapper[Referral]):
    def id_of(self, aggregate: Referral) -> str:
        return aggregate.referral_id

    def to_document(self, aggregate: Referral) -> dict[str, Any]:
        document = {name: getattr(aggregate, name) for name in _PLAIN}
        document["scheme"] = str(aggregate.scheme)
        document["status"] = str(aggregate.status)
        document["history"] = [
            {**asdict(step), "status": str(step.status)} for step in aggregate.history
        ]
        # Lists sort by it: slot ids (`referral_slots`) do not sort by creation time.
        document["submitted_at"] = aggregate.submitted_at
        return document

    def from_document(self, document: Mapping[str, Any]) -> Referral:
        plain: dict[str, Any] = {name: document.get(name) for name in _PLAIN}
        return Referral(
            referral_id=document["_id"],
            **plain,
            scheme=FinancingScheme(document["scheme"]),
            status=Status(document["status"]),
            history=[_step(entry) for entry in document.get("history", [])],
        )


def _step(entry: Mapping[str, Any]) -> Step:
    return Step(Status(entry["status"]), entry["at"], entry["by"], entry.get("reason", ""))
