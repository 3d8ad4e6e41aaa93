"""The applicant as a partner sees it: only the fields the scheme lists, and never
NIK or phone without the owner's recorded consent (UU 27/2022, README "Partner stream")."""

from __future__ import annotations

from typing import Any

from plut_shared.contracts.partners import Applicant

from financing.domain.enterprise import FINANCING_CONSENT, EnterpriseProfile
from financing.domain.rules import PartnerField, Scheme

CONSENT_ONLY = frozenset({PartnerField.NIK, PartnerField.PHONE})


def applicant_for(profile: EnterpriseProfile, scheme: Scheme) -> Applicant:
    consented = profile.consents_to(FINANCING_CONSENT)
    shared: dict[str, Any] = {}
    for name in scheme.partner_fields:
        if name in CONSENT_ONLY and not consented:
            continue
        shared[str(name)] = getattr(profile, str(name))
    return Applicant(**shared)
