"""A financing referral as a state machine (README, "Financing referrals").

    submitted -> forwarded -> (escalated ->) approved -> disbursed
                                         \\-> rejected
    withdrawn: from submitted, forwarded, escalated or approved

Each step checks that it is allowed, changes the state and records the
`financing.referral.*` event; steps that concern the partner also record a
partner-stream event (`partner.referral.offered`, `.withdrawn`, `.erased`),
which the relay publishes to that partner only. The aggregate store writes
state and events in one atomic write, so an offer never leaves without its
referral, nor a referral without its offer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from plut_shared.contracts import Payload
from plut_shared.contracts.financing import (
    FinancingScheme,
    ReferralDecided,
    ReferralDisbursed,
    ReferralEscalated,
    ReferralForwarded,
    ReferralSubmitted,
    ReferralWithdrawn,
    WithdrawnBy,
)
from plut_shared.contracts.partners import (
    Applicant,
    ReferralErasedNotice,
    ReferralOffered,
    ReferralWithdrawnNotice,
)

from financing.domain.status import AWAITING_DECISION, OPEN, Status, Step


class ReferralRefused(Exception):
    """The referral is not in a state for this step; the message says why (no personal data)."""


class NotRoutedHere(ReferralRefused):
    """A partner answered for a referral that was routed to another partner."""


@dataclass
class Referral:
    referral_id: str
    umkm_id: str
    centre_id: str
    scheme: FinancingScheme
    amount: int
    rules_version: str
    status: Status = Status.SUBMITTED
    partner_id: str | None = None
    answer_due_at: datetime | None = None
    offered: bool = False  # the partner received the applicant's data
    erasure_sent: bool = False
    disbursed_amount: int | None = None
    history: list[Step] = field(default_factory=list)
    pending_events: list[Payload] = field(default_factory=list)

    @classmethod
    def submit(
        cls, *, referral_id: str, umkm_id: str, centre_id: str, scheme: FinancingScheme,
        amount: int, rules_version: str, by: str, at: datetime,
    ) -> Referral:  # fmt: skip
        referral = cls(referral_id, umkm_id, centre_id, scheme, amount, rules_version)
        referral._step(Status.SUBMITTED, at, by)
        referral.pending_events.append(referral._event(ReferralSubmitted))
        return referral

    @property
    def submitted_at(self) -> datetime | None:
        return self.history[0].at if self.history else None

    def forward(self, partner_id: str, applicant: Applicant, due: datetime, at: datetime) -> None:
        self._require({Status.SUBMITTED}, "forward")
        self.partner_id, self.answer_due_at, self.offered = partner_id, due, True
        self._step(Status.FORWARDED, at, "platform", f"to {partner_id}")
        self.pending_events.append(self._event(ReferralForwarded))
        self.pending_events.append(
            ReferralOffered(
                partner_id=partner_id, referral_id=self.referral_id, scheme=self.scheme,
                amount=self.amount, answer_due_at=due, applicant=applicant,
            )
        )  # fmt: skip

    def decide(self, partner_id: str, approved: bool, reason: str, at: datetime) -> None:
        self._require_partner(partner_id)
        self._require(AWAITING_DECISION, "decide")
        self._step(Status.APPROVED if approved else Status.REJECTED, at, _by(partner_id), reason)
        self.pending_events.append(self._event(ReferralDecided, reason=reason, approved=approved))

    def disburse(self, partner_id: str, amount: int, at: datetime) -> None:
        self._require_partner(partner_id)
        self._require({Status.APPROVED}, "disburse")
        if amount > self.amount:
            raise ReferralRefused(f"disbursed amount exceeds the {self.amount} applied for")
        self.disbursed_amount = amount
        self._step(Status.DISBURSED, at, _by(partner_id))
        self.pending_events.append(self._event(ReferralDisbursed))

    def escalate(self, at: datetime) -> bool:
        """Once, when the partner let its SLA pass without a decision."""
        due = self.answer_due_at
        if self.status is not Status.FORWARDED or due is None or at < due:
            return False
        self._step(Status.ESCALATED, at, "platform", f"no answer from {self.partner_id}")
        self.pending_events.append(self._event(ReferralEscalated, answer_due_at=due))
        return True

    def withdraw(self, by: WithdrawnBy, actor: str, reason: str, at: datetime) -> None:
        self._require(OPEN, "withdraw")
        self._step(Status.WITHDRAWN, at, actor, reason)
        self.pending_events.append(self._event(ReferralWithdrawn, reason=reason, withdrawn_by=by))
        if self.offered and self.partner_id is not None:
            notice = ReferralWithdrawnNotice(
                partner_id=self.partner_id, referral_id=self.referral_id, reason=reason
            )
            self.pending_events.append(notice)

    def owner_erased(self, at: datetime) -> None:
        """Withdraw if still open; tell a partner that received the data to delete it."""
        if self.status in OPEN:
            self.withdraw(WithdrawnBy.PLATFORM, "platform", "the owner's data was erased", at)
        if self.offered and self.partner_id is not None and not self.erasure_sent:
            self.erasure_sent = True
            self.pending_events.append(
                ReferralErasedNotice(partner_id=self.partner_id, referral_id=self.referral_id)
            )

    def consent_withdrawn(self, at: datetime) -> None:
        if self.status in OPEN:
            reason = "the owner withdrew consent to sharing with financing partners"
            self.withdraw(WithdrawnBy.PLATFORM, "platform", reason, at)

    def pull_events(self) -> list[Payload]:
        events, self.pending_events = self.pending_events, []
        return events

    def _require(self, allowed: frozenset[Status] | set[Status], step: str) -> None:
        if self.status not in allowed:
            raise ReferralRefused(f"referral {self.referral_id} is {self.status}; cannot {step}")

    def _require_partner(self, partner_id: str) -> None:
        if partner_id != self.partner_id:
            raise NotRoutedHere(
                f"referral {self.referral_id} was routed to {self.partner_id or 'no partner'}, "
                f"not to {partner_id}"
            )

    def _step(self, status: Status, at: datetime, by: str, reason: str = "") -> None:
        self.status = status
        self.history.append(Step(status, at, by, reason))

    def _event(self, model: Callable[..., Payload], **extra: object) -> Payload:
        return model(
            referral_id=self.referral_id, umkm_id=self.umkm_id, scheme=self.scheme,
            amount=self.amount, partner_id=self.partner_id, status=str(self.status), **extra,
        )  # fmt: skip


def _by(partner_id: str) -> str:
    return f"partner:{partner_id}"
