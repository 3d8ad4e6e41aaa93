"""Referrals against the real broker and store: an offer reaches only its partner, the
partner's answers move the referral, officers list and read it, erasure reaches the partner."""

from __future__ import annotations

from partner_example.replies import decision, disbursement
from plut_shared.contracts.registration import UmkmErased

from tests.component.financing.service import FinancingRun, registered
from tests.component.notifications.service import OFFICER, OTHER_CENTRE_OFFICER, VIEWER, bearer
from tests.support.partner_access import PartnerSession


async def test_a_referral_is_offered_to_its_partner_who_decides_and_disburses(
    financing: FinancingRun, onboard
) -> None:
    jatim, bri = onboard("bank-jatim"), onboard("bri")
    umkm_id = await financing.register()
    referral = await financing.refer(umkm_id)
    assert referral["status"] == "forwarded" and referral["partner_id"] == "bank-jatim"
    async with PartnerSession(jatim, "bank-jatim") as partner, PartnerSession(bri, "bri") as other:
        offer = await partner.next_message()
        assert offer["_routing_key"] == "partner.bank-jatim.referral.offered"
        assert offer["payload"]["referral_id"] == referral["referral_id"]
        assert offer["payload"]["applicant"]["nik"] == "3576014101900001"
        await partner.publish(decision(offer, "bank-jatim", approve_up_to=100_000_000))
        await financing.status_becomes(referral["referral_id"], "approved")
        await partner.publish(disbursement(offer, "bank-jatim"))
        done = await financing.status_becomes(referral["referral_id"], "disbursed")
        channel = await other.channel()
        queue = await channel.get_queue("partner.bri.referrals", ensure=False)
        assert await queue.get(fail=False) is None  # another partner saw nothing
    assert [step["status"] for step in done["history"]] == [
        "submitted",
        "forwarded",
        "approved",
        "disbursed",
    ]
    assert done["disbursed_amount"] == 50_000_000


async def test_officers_list_referrals_by_status_and_partner_of_their_centre_only(
    financing: FinancingRun, onboard
) -> None:
    onboard("bank-jatim")
    first = await financing.refer(await financing.register())
    await financing.refer(await financing.register())
    api = financing.http
    await api.post(
        f"/referrals/{first['referral_id']}/withdraw",
        json={"by": "owner", "reason": "found other funding"},
        headers=bearer(OFFICER),
    )
    listed = await api.get(
        "/referrals?status=forwarded&partner_id=bank-jatim", headers=bearer(OFFICER)
    )
    assert listed.status_code == 200 and listed.json()["total"] == 1
    withdrawn = (await api.get("/referrals?status=withdrawn", headers=bearer(VIEWER))).json()
    assert [r["referral_id"] for r in withdrawn["items"]] == [first["referral_id"]]
    assert (await api.get("/referrals", headers=bearer(OTHER_CENTRE_OFFICER))).json()["total"] == 0
    hidden = await api.get(
        f"/referrals/{first['referral_id']}", headers=bearer(OTHER_CENTRE_OFFICER)
    )
    assert hidden.status_code == 404


async def test_a_refused_referral_answers_422_with_every_reason_in_both_languages(
    financing: FinancingRun,
) -> None:
    umkm_id = await financing.register(registered(consents={"financing_partners": False}))
    body = {"umkm_id": umkm_id, "scheme": "kur_super_mikro", "amount": 20_000_000}
    response = await financing.http.post("/referrals", json=body, headers=bearer(OFFICER))
    assert response.status_code == 422
    reasons = response.json()["reasons"]
    assert [r["code"] for r in reasons] == ["no_consent", "amount_out_of_range"]
    assert reasons[0]["message_id"].startswith("Pemilik") and reasons[0]["message_en"].startswith(
        "The owner"
    )
    assert await financing.db.referrals.count_documents({}) == 0
    viewer = await financing.http.post("/referrals", json=body, headers=bearer(VIEWER))
    assert viewer.status_code == 403
    amount_true = await financing.http.post(
        "/eligibility", json={**body, "amount": True}, headers=bearer(OFFICER)
    )
    assert amount_true.status_code == 422 and amount_true.json()["errors"][0]["field"] == "amount"


async def test_erasure_sends_the_partner_an_erasure_notice_for_the_referral_it_received(
    financing: FinancingRun, onboard
) -> None:
    url = onboard("bank-jatim")
    umkm_id = await financing.register()
    referral = await financing.refer(umkm_id)
    await financing.publish(UmkmErased(umkm_id=umkm_id))
    async with PartnerSession(url, "bank-jatim") as partner:
        assert (await partner.next_message())["event_type"] == "partner.referral.offered"
        withdrawn = await partner.next_message()
        erased = await partner.next_message()
    assert withdrawn["event_type"] == "partner.referral.withdrawn"
    assert erased["event_type"] == "partner.referral.erased"
    assert erased["payload"] == {"partner_id": "bank-jatim", "referral_id": referral["referral_id"]}
    stored = await financing.db.enterprises.find_one({"_id": umkm_id})
    assert stored["nik"] is None and stored["phone"] is None and stored["owner_name"] is None
