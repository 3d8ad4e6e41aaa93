"""Contracts of the financing service: `financing.referral.*` events."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from plut_shared.contracts.catalog import Payload, event
from plut_shared.contracts.text import Code, FreeText


class KurScheme(StrEnum):
    SUPER_MIKRO = "kur_super_mikro"
    MIKRO = "kur_mikro"
    KECIL = "kur_kecil"


class _Referral(Payload):
    referral_id: Code = Field(description="Id of the financing referral.")
    umkm_id: Code = Field(description="Id of the enterprise.")
    scheme: KurScheme = Field(description="KUR scheme applied for.")
    amount: int = Field(ge=1, le=10**15, description="Amount in rupiah (IDR), an integer.")
    partner_id: Code | None = Field(default=None, description="Bank or institution handling it.")
    status: Code = Field(description="Status after this event.")
    reason: FreeText = Field(default="", description="Reason given with the status, if any.")


@event("financing.referral.submitted")
class ReferralSubmitted(_Referral):
    pass


@event("financing.referral.forwarded")
class ReferralForwarded(_Referral):
    pass


@event("financing.referral.decided")
class ReferralDecided(_Referral):
    approved: bool = Field(description="True when the partner approved the credit.")


@event("financing.referral.disbursed")
class ReferralDisbursed(_Referral):
    pass


@event("financing.referral.escalated")
class ReferralEscalated(_Referral):
    pass


@event("financing.referral.withdrawn")
class ReferralWithdrawn(_Referral):
    pass
