"""Officers' use cases and event handlers on the in-memory aggregate store."""

from __future__ import annotations

import pytest
from financing.domain.status import Status
from financing.escalation import EscalationTimer
from financing.handlers import NotEligible, NotFound
from plut_shared.contracts.financing import FinancingScheme, WithdrawnBy
from plut_shared.contracts.partners import PartnerDecision, PartnerDisbursement
from plut_shared.contracts.registration import Consents, UmkmConsentChanged, UmkmErased
from plut_shared.contracts.training import ParticipantCompleted, SessionScheduled
from plut_shared.messaging import InvalidMessage

from tests.unit.financing.fakes import MONDAY, Wired, envelope_of, officer, registered, wired


@pytest.fixture
def w() -> Wired:
    return wired()


async def decide(w: Wired, referral_id: str, partner: str, approved: bool = True) -> None:
    payload = PartnerDecision(referral_id=referral_id, approved=approved, reason="")
    await w.subscribers.on_decision(envelope_of(payload, producer=partner), payload)


async def test_a_referral_is_submitted_and_forwarded_to_the_centres_partner_at_once(w) -> None:
    umkm_id = await w.register()
    referral = await w.handlers.refer(umkm_id, FinancingScheme.MIKRO, 50_000_000, officer())
    assert referral.status is Status.FORWARDED and referral.partner_id == "bank-jatim"
    [offer] = w.events("partner.referral.offered")
    applicant = offer.payload["applicant"]
    assert applicant["nik"] == "3576014101900001" and applicant["phone"] == "+6281234567001"
    assert "email" not in applicant and "preferred_channel" not in applicant
    assert offer.payload["partner_id"] == "bank-jatim"
    assert [e.correlation_id for e in w.referrals.events] == ["corr-1"] * 3


async def test_a_referral_without_consent_is_refused_with_every_reason(w) -> None:
    umkm_id = await w.register(
        registered(consents={"financing_partners": False}, founding_year=2026)
    )
    with pytest.raises(NotEligible) as refused:
        await w.handlers.refer(umkm_id, FinancingScheme.KECIL, 600_000_000, officer())
    codes = [reason.code for reason in refused.value.reasons]
    assert codes == ["no_consent", "amount_out_of_range", "business_too_young"]
    assert w.referrals.events == []


async def test_a_second_referral_waits_for_the_first_to_close(w) -> None:
    umkm_id = await w.register()
    first = await w.handlers.refer(umkm_id, FinancingScheme.MIKRO, 50_000_000, officer())
    answer = await w.handlers.eligibility(umkm_id, FinancingScheme.MIKRO, 60_000_000, officer())
    assert [reason.code for reason in answer.reasons] == ["open_referral"]
    await w.handlers.withdraw(first.referral_id, WithdrawnBy.OFFICER, "wrong amount", officer())
    assert (
        await w.handlers.eligibility(umkm_id, FinancingScheme.MIKRO, 60_000_000, officer())
    ).reasons == []


async def test_another_centres_enterprise_and_referral_look_absent(w) -> None:
    umkm_id = await w.register()
    referral = await w.handlers.refer(umkm_id, FinancingScheme.MIKRO, 50_000_000, officer())
    with pytest.raises(NotFound):
        await w.handlers.eligibility(umkm_id, FinancingScheme.MIKRO, 50_000_000, officer("batu"))
    with pytest.raises(NotFound):
        await w.handlers.referral(referral.referral_id, officer("batu"))
    with pytest.raises(NotFound):
        await w.handlers.withdraw(referral.referral_id, WithdrawnBy.OFFICER, "x", officer("batu"))


async def test_the_routed_partners_decision_and_disbursement_are_applied_once(w) -> None:
    umkm_id = await w.register()
    referral = await w.handlers.refer(umkm_id, FinancingScheme.MIKRO, 50_000_000, officer())
    payload = PartnerDecision(referral_id=referral.referral_id, approved=True, reason="")
    envelope = envelope_of(payload, producer="bank-jatim")
    await w.subscribers.on_decision(envelope, payload)
    await w.subscribers.on_decision(envelope, payload)  # redelivered
    paid = PartnerDisbursement(
        referral_id=referral.referral_id, amount=50_000_000, disbursed_on=MONDAY.date()
    )
    await w.subscribers.on_disbursement(envelope_of(paid, producer="bank-jatim"), paid)
    stored = await w.handlers.referral(referral.referral_id, officer())
    assert stored.status is Status.DISBURSED
    assert len(w.events("financing.referral.decided")) == 1


async def test_a_decision_from_a_partner_the_referral_was_not_routed_to_is_invalid(w) -> None:
    umkm_id = await w.register()
    referral = await w.handlers.refer(umkm_id, FinancingScheme.MIKRO, 50_000_000, officer())
    with pytest.raises(InvalidMessage, match="routed to bank-jatim, not to bri"):
        await decide(w, referral.referral_id, "bri")
    with pytest.raises(InvalidMessage, match="no referral"):
        await decide(w, "no-such-referral", "bank-jatim")
    assert (await w.handlers.referral(referral.referral_id, officer())).status is Status.FORWARDED


async def test_erasure_purges_the_owner_and_notifies_the_partner_that_received_the_data(w) -> None:
    umkm_id = await w.register()
    referral = await w.handlers.refer(umkm_id, FinancingScheme.MIKRO, 50_000_000, officer())
    await w.subscribers.on_erased(
        envelope_of(UmkmErased(umkm_id=umkm_id)), UmkmErased(umkm_id=umkm_id)
    )
    profile = await w.enterprises.get(umkm_id)
    assert profile is not None and profile.nik is None and profile.phone is None
    [notice] = w.events("partner.referral.erased")
    assert notice.payload == {"partner_id": "bank-jatim", "referral_id": referral.referral_id}
    assert (await w.handlers.referral(referral.referral_id, officer())).status is Status.WITHDRAWN


async def test_withdrawn_consent_withdraws_open_referrals(w) -> None:
    umkm_id = await w.register()
    referral = await w.handlers.refer(umkm_id, FinancingScheme.MIKRO, 50_000_000, officer())
    changed = UmkmConsentChanged(umkm_id=umkm_id, consents=Consents(), source="officer")
    await w.subscribers.on_consent_changed(envelope_of(changed), changed)
    stored = await w.handlers.referral(referral.referral_id, officer())
    assert stored.status is Status.WITHDRAWN
    assert len(w.events("partner.referral.withdrawn")) == 1


async def test_a_completed_prerequisite_course_makes_lpdb_possible(w) -> None:
    umkm_id = await w.register()
    asked = (umkm_id, FinancingScheme.LPDB, 100_000_000, officer())
    assert [r.code for r in (await w.handlers.eligibility(*asked)).reasons] == [
        "prerequisite_missing"
    ]
    session = SessionScheduled(
        session_id="s-9", course_id="sak-emkm-bookkeeping", topic="SAK EMKM", starts_at=MONDAY,
        ends_at=MONDAY, capacity=20, place="PLUT",
    )  # fmt: skip
    await w.subscribers.on_session_scheduled(envelope_of(session, producer="training"), session)
    done = ParticipantCompleted(umkm_id=umkm_id, session_id="s-9", certificate_number="C-1")
    await w.subscribers.on_participant_completed(envelope_of(done, producer="training"), done)
    answer = await w.handlers.eligibility(*asked)
    assert (
        answer.reasons == [] and answer.partner is not None and answer.partner.partner_id == "lpdb"
    )


async def test_the_escalation_timer_escalates_an_overdue_referral_once(w) -> None:
    umkm_id = await w.register()
    referral = await w.handlers.refer(umkm_id, FinancingScheme.MIKRO, 50_000_000, officer())
    timer = EscalationTimer(w.referrals, w.queries, w.clock, interval=60)
    assert await timer.escalate_overdue() == 0
    w.clock.advance(days=8)  # five working days after a Monday end with the next Monday
    assert await timer.escalate_overdue() == 1
    assert await timer.escalate_overdue() == 0
    [escalated] = w.events("financing.referral.escalated")
    assert escalated.subject_id == referral.referral_id
