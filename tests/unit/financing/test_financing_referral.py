"""The referral state machine: each step allowed only from its states, each recorded as events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from financing.domain.referral import NotRoutedHere, Referral, ReferralRefused
from financing.domain.status import Status
from plut_shared.contracts import event_type_of
from plut_shared.contracts.financing import FinancingScheme, WithdrawnBy
from plut_shared.contracts.partners import Applicant

AT = datetime(2026, 11, 9, 3, 0, tzinfo=UTC)
DUE = AT + timedelta(days=3)


def submitted() -> Referral:
    return Referral.submit(
        referral_id="r-1", umkm_id="u-1", centre_id="batu", scheme=FinancingScheme.MIKRO,
        amount=50_000_000, rules_version="v1", by="officer-1", at=AT,
    )  # fmt: skip


def forwarded() -> Referral:
    referral = submitted()
    referral.forward("bank-jatim", Applicant(sector="footwear", nik="3576014101900001"), DUE, AT)
    referral.pull_events()
    return referral


def types(referral: Referral) -> list[str]:
    return [event_type_of(event)[0] for event in referral.pull_events()]


def test_submitting_and_forwarding_record_the_internal_events_and_the_offer() -> None:
    referral = submitted()
    referral.forward("bank-jatim", Applicant(sector="footwear"), DUE, AT)
    events = referral.pull_events()
    assert [event_type_of(e)[0] for e in events] == [
        "financing.referral.submitted",
        "financing.referral.forwarded",
        "partner.referral.offered",
    ]
    assert events[2].partner_id == "bank-jatim" and events[2].answer_due_at == DUE  # type: ignore[attr-defined]
    assert referral.status is Status.FORWARDED and referral.offered


def test_a_decision_then_a_disbursement_complete_the_referral() -> None:
    referral = forwarded()
    referral.decide("bank-jatim", True, "", AT)
    referral.disburse("bank-jatim", 50_000_000, AT)
    assert types(referral) == ["financing.referral.decided", "financing.referral.disbursed"]
    assert referral.status is Status.DISBURSED
    assert [step.status for step in referral.history][-2:] == [Status.APPROVED, Status.DISBURSED]


def test_a_decision_from_another_partner_is_refused_and_changes_nothing() -> None:
    referral = forwarded()
    with pytest.raises(NotRoutedHere, match="routed to bank-jatim, not to bri"):
        referral.decide("bri", True, "", AT)
    assert referral.status is Status.FORWARDED and referral.pull_events() == []


def test_steps_out_of_order_are_refused() -> None:
    referral = forwarded()
    with pytest.raises(ReferralRefused, match="is forwarded; cannot disburse"):
        referral.disburse("bank-jatim", 1, AT)
    referral.decide("bank-jatim", False, "incomplete documents", AT)
    with pytest.raises(ReferralRefused, match="is rejected; cannot decide"):
        referral.decide("bank-jatim", True, "", AT)
    with pytest.raises(ReferralRefused, match="cannot withdraw"):
        referral.withdraw(WithdrawnBy.OFFICER, "officer-1", "changed mind", AT)


def test_more_than_the_amount_applied_for_cannot_be_disbursed() -> None:
    referral = forwarded()
    referral.decide("bank-jatim", True, "", AT)
    with pytest.raises(ReferralRefused, match="exceeds"):
        referral.disburse("bank-jatim", 50_000_001, AT)


def test_escalation_happens_once_and_only_after_the_due_time() -> None:
    referral = forwarded()
    assert not referral.escalate(DUE - timedelta(seconds=1))
    assert referral.escalate(DUE)
    assert not referral.escalate(DUE + timedelta(days=1))
    assert types(referral) == ["financing.referral.escalated"]
    referral.decide(
        "bank-jatim", True, "late but yes", AT
    )  # an escalated referral may still be decided
    assert referral.status is Status.APPROVED


def test_withdrawing_a_forwarded_referral_tells_its_partner() -> None:
    referral = forwarded()
    referral.withdraw(WithdrawnBy.OWNER, "officer-1", "owner found other funding", AT)
    events = referral.pull_events()
    assert [event_type_of(e)[0] for e in events] == [
        "financing.referral.withdrawn",
        "partner.referral.withdrawn",
    ]
    assert events[0].withdrawn_by is WithdrawnBy.OWNER  # type: ignore[attr-defined]


def test_erasure_withdraws_an_open_referral_and_sends_the_partner_an_erasure_notice_once() -> None:
    referral = forwarded()
    referral.owner_erased(AT)
    referral.owner_erased(AT)
    assert types(referral) == [
        "financing.referral.withdrawn",
        "partner.referral.withdrawn",
        "partner.referral.erased",
    ]


def test_erasure_of_a_referral_never_offered_tells_no_partner() -> None:
    referral = submitted()
    referral.pull_events()
    referral.owner_erased(AT)
    assert types(referral) == ["financing.referral.withdrawn"]
