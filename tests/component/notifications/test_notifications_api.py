"""The officers' API: delivery log, resend, templates, channel opt-out; scoped to their centre."""

from __future__ import annotations

from datetime import timedelta

from tests.component.notifications.events import EMAIL, OWNER, PHONE, confirmed, enrollment
from tests.component.notifications.events import registered as registered_event
from tests.component.notifications.service import OFFICER, OTHER_CENTRE_OFFICER, VIEWER, bearer
from tests.support.waiting import eventually


async def registered(service, umkm_id: str, **changes) -> None:
    await service.publish(registered_event(umkm_id, **changes))
    await eventually(lambda: service.contact(umkm_id), lambda doc: doc is not None)


async def in_state(service, umkm_id: str, state: str, count: int = 1) -> list[dict]:
    return await eventually(
        lambda: service.messages(umkm_id),
        lambda docs: len(docs) == count and all(doc["state"] == state for doc in docs),
    )


async def test_an_officer_reads_the_delivery_log_of_an_enterprise(service, provider, unique_id):
    umkm_id = f"umkm-{unique_id}"
    provider.fail_next(503)
    await registered(service, umkm_id)
    await in_state(service, umkm_id, "delivered")
    response = await service.http.get(f"/enterprises/{umkm_id}/messages", headers=bearer(VIEWER))
    assert response.status_code == 200
    [entry] = response.json()
    assert entry["template"] == "welcome"
    assert entry["state"] == "delivered"
    assert entry["channel"] == "whatsapp"
    assert entry["attempts"] == 2
    assert [step["outcome"] for step in entry["history"]] == ["transient", "delivered"]
    assert entry["history"][0]["error"] == "provider answered 503"
    for personal in (PHONE, EMAIL, OWNER):
        assert personal not in response.text


async def test_another_centres_officer_gets_404_for_the_log(service, unique_id):
    umkm_id = f"umkm-{unique_id}"
    await registered(service, umkm_id)
    other = await service.http.get(
        f"/enterprises/{umkm_id}/messages", headers=bearer(OTHER_CENTRE_OFFICER)
    )
    unknown = await service.http.get("/enterprises/nobody/messages", headers=bearer(OFFICER))
    anonymous = await service.http.get(f"/enterprises/{umkm_id}/messages")
    assert (other.status_code, unknown.status_code, anonymous.status_code) == (404, 404, 401)


async def test_a_failed_message_is_resent_and_then_delivered(service, provider, unique_id):
    provider.fail_next(400, times=2)  # WhatsApp and SMS refuse; there is no email
    umkm_id = f"umkm-{unique_id}"
    await registered(service, umkm_id, email=None)
    [failed] = await in_state(service, umkm_id, "failed")
    response = await service.http.post(f"/messages/{failed['_id']}/resend", headers=bearer(OFFICER))
    assert response.status_code == 202
    assert response.json()["state"] == "scheduled"
    [message] = await in_state(service, umkm_id, "delivered")
    assert message["channel"] == "whatsapp"
    assert message["resends"] == 1
    assert len(provider.delivered) == 1


async def test_only_a_failed_message_can_be_resent_and_only_by_an_officer(
    service, provider, unique_id
):
    umkm_id = f"umkm-{unique_id}"
    await registered(service, umkm_id)
    [delivered] = await in_state(service, umkm_id, "delivered")
    path = f"/messages/{delivered['_id']}/resend"
    assert (await service.http.post(path, headers=bearer(OFFICER))).status_code == 409
    assert (await service.http.post(path, headers=bearer(VIEWER))).status_code == 403
    assert (await service.http.post(path, headers=bearer(OTHER_CENTRE_OFFICER))).status_code == 404
    assert len(provider.requests) == 1


async def test_the_templates_are_listed_with_languages_and_urgency(service):
    response = await service.http.get("/templates", headers=bearer(VIEWER))
    assert response.status_code == 200
    templates = {entry["name"]: entry for entry in response.json()}
    assert templates["welcome"]["languages"] == ["id", "en"]
    assert templates["welcome"]["event_types"] == ["registration.umkm.registered"]
    assert templates["enrollment_promoted"]["urgent"] is True
    assert templates["training_reminder"]["timing"] == "day_before_session"
    assert set(templates["training_reminder"]["event_types"]) == {
        "training.enrollment.confirmed",
        "training.enrollment.promoted",
    }


async def test_an_owner_who_opted_out_of_whatsapp_and_email_gets_sms(service, provider, unique_id):
    umkm_id = f"umkm-{unique_id}"
    await registered(service, umkm_id, preferred_channel="email")
    # The welcome goes out by email first: were it still waiting, the email opt-out
    # below would send it by WhatsApp and make it the provider's first request.
    [welcome] = await in_state(service, umkm_id, "delivered")
    assert welcome["channel"] == "email"
    await service.http.put(f"/enterprises/{umkm_id}/opt-outs/email", headers=bearer(OFFICER))
    response = await service.http.put(
        f"/enterprises/{umkm_id}/opt-outs/whatsapp", headers=bearer(OFFICER)
    )
    assert response.status_code == 200
    assert response.json()["opted_out"] == ["email", "whatsapp"]
    starts_at = service.clock.now() + timedelta(hours=5)
    await service.publish(enrollment(confirmed, umkm_id, starts_at))
    [request] = await provider.wait_for(1)
    assert request.channel == "sms"


async def test_opting_back_in_restores_the_channel(service, unique_id):
    umkm_id = f"umkm-{unique_id}"
    await registered(service, umkm_id)
    path = f"/enterprises/{umkm_id}/opt-outs/sms"
    await service.http.put(path, headers=bearer(OFFICER))
    response = await service.http.delete(path, headers=bearer(OFFICER))
    assert response.status_code == 200
    assert response.json()["opted_out"] == []
    stored = await service.http.get(f"/enterprises/{umkm_id}/preferences", headers=bearer(VIEWER))
    assert stored.json() == {
        "umkm_id": umkm_id,
        "preferred_channel": "whatsapp",
        "language": "id",
        "opted_out": [],
        "erased": False,
    }


async def test_opt_out_rejects_unknown_channels_viewers_and_other_centres(service, unique_id):
    umkm_id = f"umkm-{unique_id}"
    await registered(service, umkm_id)
    base = f"/enterprises/{umkm_id}/opt-outs"
    pigeon = await service.http.put(f"{base}/pigeon", headers=bearer(OFFICER))
    viewer = await service.http.put(f"{base}/sms", headers=bearer(VIEWER))
    other = await service.http.put(f"{base}/sms", headers=bearer(OTHER_CENTRE_OFFICER))
    assert (pigeon.status_code, viewer.status_code, other.status_code) == (422, 403, 404)
    assert (await service.contact(umkm_id))["opted_out"] == []
