"""Contracts of the financing service: `financing.referral.*` events.

The partner stream's contracts (what banks and LPDB receive and answer) are in
`plut_shared.contracts.partners`; nothing here carries personal data.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from plut_shared.contracts.catalog import Payload, event
from plut_shared.contracts.text import Code, FreeText


class FinancingScheme(StrEnum):
    """A financing scheme a referral applies for.

    The LPDB revolving fund was added to the three KUR schemes as a new value of
    the same field (README, "Event contract": a value added to an enumeration
    keeps the version; consumers are deployed before a producer sends it).
    """

    SUPER_MIKRO = "kur_super_mikro"
    MIKRO = "kur_mikro"
    KECIL = "kur_kecil"
    LPDB = "lpdb_dana_bergulir"


# The name the contract had while it held only the KUR schemes.
KurScheme = FinancingScheme


class WithdrawnBy(StrEnum):
    OFFICER = "officer"
    OWNER = "owner"
    PLATFORM = "platform"  # the owner's data was erased or consent withdrawn


class _Referral(Payload):
    referral_id: Code = Field(description="Id of the financing referral.")
    umkm_id: Code = Field(description="Id of the enterprise.")
    scheme: FinancingScheme = Field(description="Scheme applied for: a KUR scheme or LPDB.")
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
    answer_due_at: datetime | None = Field(
        default=None, description="When the partner's answer was due (its SLA), UTC."
    )


@event("financing.referral.withdrawn")
class ReferralWithdrawn(_Referral):
    withdrawn_by: WithdrawnBy | None = Field(
        default=None, description="Who withdrew it: the officer, the owner, or the platform."
    )
