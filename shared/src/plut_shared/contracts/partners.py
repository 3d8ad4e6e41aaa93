"""Contracts of the partner stream: what a bank or LPDB receives, and what it answers.

Partners never see the internal exchange (README, "Partner stream"). The
financing service sends them, on `plut.partners`, under the routing key
`partner.<partner_id>.<entity>.<verb>`:
- `partner.referral.offered`: a referral routed to the partner, with only the
  applicant fields its scheme needs; NIK and phone only with the owner's
  recorded consent to sharing with financing partners;
- `partner.referral.withdrawn`: the referral no longer stands; stop work on it;
- `partner.referral.erased`: the owner had their data erased; delete everything
  received with this referral.
Partners answer on `plut.partner-replies`, under `partner.<partner_id>.referral.<verb>`:
- `partner.referral.decided`: approved or rejected, with the reason;
- `partner.referral.disbursed`: the credit was paid out.
A reply's envelope names the partner in `producer`; it must be published as
the partner's own broker user (the AMQP `user_id`, which the broker checks).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from plut_shared.contracts.catalog import Payload, event
from plut_shared.contracts.financing import FinancingScheme
from plut_shared.contracts.registration import ScaleClass
from plut_shared.contracts.text import Code, FreeText, Name

# A partner id is part of routing keys, queue and user names: no dots, no spaces.
PARTNER_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
PartnerId = Annotated[str, Field(pattern=PARTNER_ID_PATTERN)]
Rupiah = Annotated[int, Field(ge=1, le=10**15)]


class Applicant(Payload):
    """The applicant as the partner sees it: only what the scheme needs; absent fields are null."""

    business_name: Name | None = Field(default=None, description="Trading name of the business.")
    sector: Name | None = Field(default=None, description="Business sector.")
    scale_class: ScaleClass | None = Field(default=None, description="PP 7/2021 class.")
    founding_year: int | None = Field(
        default=None, ge=1, le=9999, description="Year the business was founded."
    )
    owner_name: Name | None = Field(default=None, description="Owner's name. Personal data.")
    nik: Code | None = Field(
        default=None, description="Owner's NIK, only with recorded consent. Personal data."
    )
    phone: Code | None = Field(
        default=None, description="Owner's phone (E.164), only with recorded consent."
    )


@event("partner.referral.offered")
class ReferralOffered(Payload):
    partner_id: PartnerId = Field(description="The partner the referral is routed to.")
    referral_id: Code = Field(description="Id of the referral; quote it in every reply.")
    scheme: FinancingScheme = Field(description="Scheme applied for.")
    amount: Rupiah = Field(description="Amount applied for, in rupiah (IDR), an integer.")
    answer_due_at: datetime = Field(description="When a decision is due (the partner's SLA), UTC.")
    applicant: Applicant = Field(description="The applicant, minimised to the scheme's needs.")


@event("partner.referral.withdrawn")
class ReferralWithdrawnNotice(Payload):
    partner_id: PartnerId = Field(description="The partner the referral was routed to.")
    referral_id: Code = Field(description="Id of the referral that no longer stands.")
    reason: FreeText = Field(default="", description="Why it was withdrawn.")


@event("partner.referral.erased")
class ReferralErasedNotice(Payload):
    partner_id: PartnerId = Field(description="The partner the referral was routed to.")
    referral_id: Code = Field(
        description="Id of the referral whose personal data the partner must now delete "
        "(UU 27/2022: the owner asked for erasure)."
    )


@event("partner.referral.decided")
class PartnerDecision(Payload):
    referral_id: Code = Field(description="Id of the referral decided.")
    approved: bool = Field(description="True when the credit is approved.")
    reason: FreeText = Field(default="", description="Reason, required in practice for a refusal.")


@event("partner.referral.disbursed")
class PartnerDisbursement(Payload):
    referral_id: Code = Field(description="Id of the referral paid out.")
    amount: Rupiah = Field(description="Amount paid out in rupiah, at most the amount applied for.")
    disbursed_on: date = Field(description="Date of the payment (WIB).")
