"""Builders of the contract payloads the aggregate records.

The payload models live in `plut_shared.contracts.registration`; this module
only maps the aggregate's state onto them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from plut_shared.contracts.registration import ScaleClass, UmkmRegistered, UmkmScaleChanged

from registration.domain.errors import EnterpriseErased
from registration.domain.profile import consent_flags
from registration.domain.scale import ScaleDecision, is_upgrade

if TYPE_CHECKING:
    from registration.domain.enterprise import Enterprise


def registered_event(enterprise: Enterprise) -> UmkmRegistered:
    owner, business = enterprise.owner, enterprise.business
    if owner is None or business.name is None:
        raise EnterpriseErased(enterprise.umkm_id)
    return UmkmRegistered(
        umkm_id=enterprise.umkm_id,
        business_name=business.name,
        sector=business.sector,
        scale_class=enterprise.scale_class,
        owner_name=owner.name,
        phone=owner.phone,
        email=owner.email,
        preferred_channel=owner.preferred_channel,
        language=owner.language,
        consents=consent_flags(enterprise.consents),
        nik=owner.nik,
        nib=business.nib,
        founding_year=business.founding_year,
    )


def scale_changed_event(
    umkm_id: str, previous: ScaleClass, decision: ScaleDecision, today: date
) -> UmkmScaleChanged:
    return UmkmScaleChanged(
        umkm_id=umkm_id,
        from_class=previous,
        to_class=decision.scale_class,
        basis=decision.basis,
        effective_date=today,
        naik_kelas=is_upgrade(previous, decision.scale_class),
    )
