"""How the read model of served enterprises is stored (collection `enterprises`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from plut_shared.messaging import Mapper

from training.domain.enterprise import ServedEnterprise

ENTERPRISES = "enterprises"


class EnterpriseMapper(Mapper[ServedEnterprise]):
    def id_of(self, aggregate: ServedEnterprise) -> str:
        return aggregate.umkm_id

    def to_document(self, aggregate: ServedEnterprise) -> dict[str, Any]:
        return {
            "centre_id": aggregate.centre_id,
            "registered": aggregate.registered,
            "scale_class": aggregate.scale_class,
            "sector": aggregate.sector,
            "consents": dict(aggregate.consents),
            "owner_name": aggregate.owner_name,
            "business_name": aggregate.business_name,
            "erased": aggregate.erased,
            "completed_courses": list(aggregate.completed_courses),
            "session_ids": list(aggregate.session_ids),
            "appointment_ids": list(aggregate.appointment_ids),
        }

    def from_document(self, document: Mapping[str, Any]) -> ServedEnterprise:
        return ServedEnterprise(
            umkm_id=document["_id"],
            centre_id=document["centre_id"],
            registered=document["registered"],
            scale_class=document["scale_class"],
            sector=document["sector"],
            consents=dict(document["consents"]),
            owner_name=document["owner_name"],
            business_name=document["business_name"],
            erased=document["erased"],
            completed_courses=list(document["completed_courses"]),
            # Absent from documents written before erasure followed enrolments.
            session_ids=list(document.get("session_ids", [])),
            appointment_ids=list(document.get("appointment_ids", [])),
        )
