"""One open referral per enterprise, however many requests race for it: against the real
broker and store, with two replicas of the service answering the same enterprise at once."""

from __future__ import annotations

import asyncio

import httpx

from tests.component.financing.service import FinancingRun, running_financing
from tests.component.notifications.service import OFFICER, BrokerAccess, bearer
from tests.support.event_probe import EventProbe
from tests.support.partner_access import PartnerSession
from tests.support.waiting import eventually

REQUESTS = 8


async def refer_at_once(replicas: list[FinancingRun], umkm_id: str) -> list[httpx.Response]:
    """REQUESTS referral requests for one enterprise, spread over the replicas, all at once."""
    body = {"umkm_id": umkm_id, "scheme": "kur_mikro", "amount": 50_000_000}
    return await asyncio.gather(
        *(
            replicas[n % len(replicas)].http.post("/referrals", json=body, headers=bearer(OFFICER))
            for n in range(REQUESTS)
        )
    )


async def eligible_reasons(run: FinancingRun, umkm_id: str) -> list[str]:
    body = {"umkm_id": umkm_id, "scheme": "kur_mikro", "amount": 50_000_000}
    answer = await run.http.post("/eligibility", json=body, headers=bearer(OFFICER))
    assert answer.status_code == 200, answer.text
    reasons = [reason["code"] for reason in answer.json()["reasons"]]
    assert answer.json()["eligible"] is (reasons == [])
    return reasons


async def outbox_drained(run: FinancingRun) -> None:
    await eventually(
        lambda: run.db.referrals.count_documents({"outbox_pending": True}), lambda n: n == 0
    )


async def test_concurrent_referrals_of_one_enterprise_create_and_forward_exactly_one(
    financing: FinancingRun, infra, fin_broker: BrokerAccess, database_name: str, onboard
) -> None:
    jatim = onboard("bank-jatim")
    umkm_id = await financing.register()
    async with (
        running_financing(fin_broker, infra.mongo_url, database_name) as replica,
        EventProbe(fin_broker.admin_url, ["financing.referral.#"]) as probe,
    ):
        answers = await refer_at_once([financing, replica], umkm_id)
        created = [answer for answer in answers if answer.status_code == 201]
        refused = [answer for answer in answers if answer.status_code != 201]
        assert len(created) == 1, [answer.text for answer in answers]
        assert {answer.status_code for answer in refused} == {422}
        assert all(
            [reason["code"] for reason in answer.json()["reasons"]] == ["open_referral"]
            for answer in refused
        )
        assert await financing.db.referrals.count_documents({"umkm_id": umkm_id}) == 1
        referral_id = created[0].json()["referral_id"]
        await probe.wait_for(lambda e: e.event_type == "financing.referral.forwarded")
        await outbox_drained(financing)
        forwarded = probe.matching(lambda e: e.event_type == "financing.referral.forwarded")
        assert [e.subject_id for e in forwarded] == [referral_id]
        async with PartnerSession(jatim, "bank-jatim") as partner:
            offer = await partner.next_message()
            assert offer["payload"]["referral_id"] == referral_id
            queue = await (await partner.channel()).get_queue(
                "partner.bank-jatim.referrals", ensure=False
            )
            assert await queue.get(fail=False) is None  # the bank received one offer only


async def test_after_the_open_referral_is_withdrawn_a_new_one_goes_ahead(
    financing: FinancingRun, onboard
) -> None:
    onboard("bank-jatim")
    umkm_id = await financing.register()
    first = await financing.refer(umkm_id)
    again = await refer_at_once([financing], umkm_id)
    assert {answer.status_code for answer in again} == {422}
    assert await eligible_reasons(financing, umkm_id) == ["open_referral"]
    withdrawn = await financing.http.post(
        f"/referrals/{first['referral_id']}/withdraw",
        json={"by": "officer", "reason": "wrong amount"},
        headers=bearer(OFFICER),
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert await eligible_reasons(financing, umkm_id) == []
    answers = await refer_at_once([financing], umkm_id)
    created = [answer.json() for answer in answers if answer.status_code == 201]
    assert len(created) == 1 and created[0]["referral_id"] != first["referral_id"]
    listed = await financing.http.get(f"/enterprises/{umkm_id}/referrals", headers=bearer(OFFICER))
    assert [(r["referral_id"], r["status"]) for r in listed.json()] == [
        (first["referral_id"], "withdrawn"),
        (created[0]["referral_id"], "forwarded"),
    ]
