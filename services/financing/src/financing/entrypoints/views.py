"""What the API takes and gives: commands in, referrals and eligibility answers out."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from plut_shared.contracts.financing import FinancingScheme, WithdrawnBy
from plut_shared.contracts.text import Code, FreeText
from plut_shared.problems import FieldProblem
from pydantic import BaseModel, ConfigDict, Field

from financing.domain.eligibility import Reason
from financing.domain.referral import Referral
from financing.domain.status import Status, Step
from financing.handlers import Eligibility

# Whole rupiah within the contracts' bound; `true` or `1.5` is not an amount.
Amount = Annotated[int, Field(strict=True, ge=1, le=10**15, description="Rupiah, an integer.")]


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReferralRequest(_Command):
    umkm_id: Code = Field(min_length=1, description="The enterprise to refer.")
    scheme: FinancingScheme
    amount: Amount


class WithdrawRequest(_Command):
    by: Literal[WithdrawnBy.OFFICER, WithdrawnBy.OWNER] = Field(
        description="Who asked: the officer, or the owner through the officer."
    )
    reason: FreeText = Field(min_length=1, description="Why; shown to the partner.")


class ReasonView(BaseModel):
    code: str
    message_id: str = Field(description="In Bahasa Indonesia.")
    message_en: str = Field(description="In English.")

    @classmethod
    def of(cls, reason: Reason) -> ReasonView:
        return cls(code=reason.code, message_id=reason.message_id, message_en=reason.message_en)


class EligibilityView(BaseModel):
    eligible: bool
    scheme: FinancingScheme
    amount: int
    partner_id: str | None = Field(description="Where a referral would be forwarded.")
    rules_version: str
    reasons: list[ReasonView] = Field(description="Every reason a referral cannot go ahead.")

    @classmethod
    def of(cls, answer: Eligibility) -> EligibilityView:
        return cls(
            eligible=not answer.reasons,
            scheme=answer.scheme,
            amount=answer.amount,
            partner_id=answer.partner.partner_id if answer.partner else None,
            rules_version=answer.rules_version,
            reasons=[ReasonView.of(reason) for reason in answer.reasons],
        )


class StepView(BaseModel):
    status: Status
    at: datetime
    by: str
    reason: str

    @classmethod
    def of(cls, step: Step) -> StepView:
        return cls(status=step.status, at=step.at, by=step.by, reason=step.reason)


class ReferralView(BaseModel):
    referral_id: str
    umkm_id: str
    centre_id: str
    scheme: FinancingScheme
    amount: int
    status: Status
    partner_id: str | None
    answer_due_at: datetime | None
    disbursed_amount: int | None
    rules_version: str
    history: list[StepView]

    @classmethod
    def of(cls, referral: Referral) -> ReferralView:
        return cls(
            referral_id=referral.referral_id,
            umkm_id=referral.umkm_id,
            centre_id=referral.centre_id,
            scheme=referral.scheme,
            amount=referral.amount,
            status=referral.status,
            partner_id=referral.partner_id,
            answer_due_at=referral.answer_due_at,
            disbursed_amount=referral.disbursed_amount,
            rules_version=referral.rules_version,
            history=[StepView.of(step) for step in referral.history],
        )


class ReferralPage(BaseModel):
    items: list[ReferralView]
    total: int
    limit: int
    offset: int


class NotEligibleProblem(BaseModel):
    """A 422 of a referral: invalid fields (`errors`), or every reason it cannot go ahead."""

    detail: str
    errors: list[FieldProblem] = []
    reasons: list[ReasonView] = []
