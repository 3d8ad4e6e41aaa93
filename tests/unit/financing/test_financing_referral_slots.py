"""One open referral per enterprise: slot ids, and refer when a request loses its slot, after
a crash before the profile's hint was raised, and beside referrals stored before slots."""

from __future__ import annotations

import re
import uuid

import pytest
from financing.domain.referral import Referral
from financing.domain.status import Status
from financing.handlers import REFER_ATTEMPTS, NotEligible
from financing.referral_slots import referral_id_for
from plut_shared.contracts import new_event_id
from plut_shared.contracts.financing import FinancingScheme, ReferralSubmitted, WithdrawnBy
from plut_shared.messaging import AggregateExists, Cause

from tests.unit.financing.fakes import MONDAY, Wired, officer, wired

MIKRO = FinancingScheme.MIKRO
ROUTE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")  # what the HTTP routes accept as an id


@pytest.fixture
def w() -> Wired:
    return wired()


async def refer(w: Wired, umkm_id: str, amount: int = 50_000_000) -> Referral:
    return await w.handlers.refer(umkm_id, MIKRO, amount, officer())


async def withdraw(w: Wired, referral_id: str) -> None:
    await w.handlers.withdraw(referral_id, WithdrawnBy.OFFICER, "wrong amount", officer())


def test_a_slot_id_is_the_same_for_every_caller_and_differs_per_slot_and_enterprise() -> None:
    first = referral_id_for("umkm-1", 0)
    assert first == referral_id_for("umkm-1", 0)
    others = {referral_id_for("umkm-1", 1), referral_id_for("umkm-2", 0)}
    assert first not in others and len(others) == 2
    assert uuid.UUID(first).version == 5 and ROUTE_ID.match(first)
    assert "umkm-1" not in first
    ReferralSubmitted(
        referral_id=first, umkm_id="umkm-1", scheme=MIKRO, amount=1, status="submitted"
    )  # the contract's id format takes it
    with pytest.raises(ValueError, match="from 0"):
        referral_id_for("umkm-1", -1)


async def test_referrals_of_an_enterprise_take_its_slots_in_turn(w) -> None:
    umkm_id = await w.register()
    first = await refer(w, umkm_id)
    await withdraw(w, first.referral_id)
    w.clock.advance(minutes=5)
    second = await refer(w, umkm_id)
    assert [first.referral_id, second.referral_id] == [
        referral_id_for(umkm_id, 0),
        referral_id_for(umkm_id, 1),
    ]
    profile = await w.enterprises.get(umkm_id)
    assert profile is not None and profile.referrals_made == 2
    listed = await w.handlers.referrals_of(umkm_id, officer())  # oldest first, not by id
    assert first.referral_id > second.referral_id
    assert [r.referral_id for r in listed] == [first.referral_id, second.referral_id]


async def test_a_request_that_loses_its_slot_is_refused_as_a_second_request_would_be(
    w, monkeypatch
) -> None:
    umkm_id = await w.register()
    add = w.referrals.add

    async def the_other_request_wins_first(referral: Referral, cause: Cause) -> object:
        monkeypatch.setattr(w.referrals, "add", add)
        await refer(w, umkm_id, amount=60_000_000)
        return await add(referral, cause)

    monkeypatch.setattr(w.referrals, "add", the_other_request_wins_first)
    with pytest.raises(NotEligible) as refused:
        await refer(w, umkm_id)
    assert [reason.code for reason in refused.value.reasons] == ["open_referral"]
    assert len(w.referrals.documents) == 1
    [offer] = w.events("partner.referral.offered")
    assert offer.payload["amount"] == 60_000_000


async def test_a_request_whose_slot_was_taken_and_closed_meanwhile_takes_the_next(
    w, monkeypatch
) -> None:
    umkm_id = await w.register()
    add = w.referrals.add

    async def taken_and_withdrawn_first(referral: Referral, cause: Cause) -> object:
        monkeypatch.setattr(w.referrals, "add", add)
        await withdraw(w, (await refer(w, umkm_id, amount=60_000_000)).referral_id)
        return await add(referral, cause)

    monkeypatch.setattr(w.referrals, "add", taken_and_withdrawn_first)
    referral = await refer(w, umkm_id)
    assert referral.referral_id == referral_id_for(umkm_id, 1)
    assert referral.status is Status.FORWARDED


async def test_a_request_that_keeps_losing_its_slot_is_refused_after_a_few_tries(
    w, monkeypatch
) -> None:
    umkm_id = await w.register()
    tries: list[str] = []

    async def always_taken(referral: Referral, cause: Cause) -> object:
        tries.append(referral.referral_id)
        raise AggregateExists(referral.referral_id)

    monkeypatch.setattr(w.referrals, "add", always_taken)
    with pytest.raises(NotEligible) as refused:
        await refer(w, umkm_id)
    assert [reason.code for reason in refused.value.reasons] == ["open_referral"]
    assert len(tries) == REFER_ATTEMPTS and w.referrals.events == []


async def test_a_referral_stored_without_raising_the_hint_still_blocks_and_is_followed(
    w, monkeypatch
) -> None:
    umkm_id = await w.register()

    async def crash_before_the_hint(umkm_id: str, slot: int, cause: Cause) -> None:
        return None

    monkeypatch.setattr(w.handlers.slots, "note_taken", crash_before_the_hint)
    first = await refer(w, umkm_id)
    profile = await w.enterprises.get(umkm_id)
    assert profile is not None and profile.referrals_made == 0
    with pytest.raises(NotEligible):
        await refer(w, umkm_id)
    await withdraw(w, first.referral_id)
    assert (await refer(w, umkm_id)).referral_id == referral_id_for(umkm_id, 1)


async def test_referrals_stored_before_slots_block_while_open_and_not_after(w) -> None:
    umkm_id = await w.register()
    legacy = Referral.submit(
        referral_id=new_event_id(), umkm_id=umkm_id, centre_id="kota-mojokerto", scheme=MIKRO,
        amount=50_000_000, rules_version="old", by="officer-0", at=MONDAY,
    )  # fmt: skip
    await w.referrals.add(legacy, Cause("corr-0"))
    with pytest.raises(NotEligible) as refused:
        await refer(w, umkm_id)
    assert [reason.code for reason in refused.value.reasons] == ["open_referral"]
    await withdraw(w, legacy.referral_id)
    assert (await refer(w, umkm_id)).referral_id == referral_id_for(umkm_id, 0)


async def test_a_failed_hint_write_still_answers_with_the_stored_referral(w, monkeypatch) -> None:
    umkm_id = await w.register()

    async def store_down(*args, **kwargs):
        raise ConnectionError("store unavailable (simulated)")

    monkeypatch.setattr(w.enterprises, "change", store_down)
    referral = await refer(w, umkm_id)
    assert referral.referral_id == referral_id_for(umkm_id, 0)
    assert await w.referrals.get(referral.referral_id) is not None
