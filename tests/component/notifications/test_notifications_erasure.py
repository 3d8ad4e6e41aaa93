"""Erasure (UU 27/2022): the owner's contact details and message data are purged for good."""

from __future__ import annotations

from datetime import timedelta

from bson import json_util
from notifications.domain.rules import message_id

from tests.component.notifications.events import (
    BUSINESS,
    EMAIL,
    OWNER,
    PHONE,
    confirmed,
    enrollment,
    erased,
    registered,
)
from tests.component.notifications.service import OFFICER, bearer
from tests.support.waiting import eventually

PERSONAL = (PHONE, EMAIL, OWNER, BUSINESS, "3576014101900001", "1234567890123")


async def stored_text(service, umkm_id: str) -> str:
    contact = await service.contact(umkm_id)
    messages = await service.messages(umkm_id)
    return json_util.dumps([contact, messages])


async def erased_contact(service, umkm_id: str, event_id: str) -> dict:
    return await eventually(
        lambda: service.contact(umkm_id),
        lambda doc: doc is not None and event_id in doc.get("applied_event_ids", []),
    )


async def registered_with_a_pending_reminder(service, provider, umkm_id: str) -> None:
    await service.publish(registered(umkm_id))
    starts_at = service.clock.now() + timedelta(days=3)
    await service.publish(enrollment(confirmed, umkm_id, starts_at))
    await provider.wait_for(2)  # welcome and confirmation


async def test_an_erasure_purges_the_contact_and_every_message_of_personal_data(
    service, provider, unique_id
):
    umkm_id = f"umkm-{unique_id}"
    await registered_with_a_pending_reminder(service, provider, umkm_id)
    erasure = erased(umkm_id)
    await service.publish(erasure)
    contact = await erased_contact(service, umkm_id, erasure.event_id)
    assert contact["is_erased"] is True
    assert not {"owner_name", "business_name", "phone", "email"} & set(contact)
    # The contact goes first (nothing can be sent after it), then the messages.
    scrubbed = await eventually(
        lambda: service.messages(umkm_id),
        lambda docs: all("erased_at" in doc for doc in docs),
    )
    messages = {doc["template"]: doc for doc in scrubbed}
    assert all("payload" not in doc for doc in messages.values())
    stored = await stored_text(service, umkm_id)
    for personal in PERSONAL:
        assert personal not in stored
    assert messages["welcome"]["state"] == "delivered"
    assert messages["training_reminder"]["state"] == "cancelled"
    assert messages["training_reminder"]["cancel_reason"] == "erased"


async def test_an_erased_owner_hears_nothing_more(service, provider, unique_id):
    umkm_id = f"umkm-{unique_id}"
    await registered_with_a_pending_reminder(service, provider, umkm_id)
    await service.publish(erased(umkm_id))
    late_registration = registered(umkm_id)
    await service.publish(late_registration)
    # A repeated erasure request after it: once it shows, the late event was handled.
    again = erased(umkm_id)
    await service.publish(again)
    await erased_contact(service, umkm_id, again.event_id)
    await eventually(
        lambda: service.messages(umkm_id), lambda docs: all("erased_at" in doc for doc in docs)
    )
    await service.dispatcher.dispatch_due()
    assert len(provider.requests) == 2
    ids = {doc["_id"] for doc in await service.messages(umkm_id)}
    assert len(ids) == 3  # welcome, confirmation, cancelled reminder: nothing new
    assert message_id(late_registration.event_id, "welcome") not in ids
    for personal in PERSONAL:
        assert personal not in await stored_text(service, umkm_id)


async def test_an_erased_owners_failed_message_cannot_be_resent(service, provider, unique_id):
    provider.fail_next(400, times=2)  # WhatsApp and SMS refuse; no email
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id, email=None))
    [message] = await eventually(
        lambda: service.messages(umkm_id), lambda docs: docs and docs[0]["state"] == "failed"
    )
    erasure = erased(umkm_id)
    await service.publish(erasure)
    await erased_contact(service, umkm_id, erasure.event_id)
    response = await service.http.post(
        f"/messages/{message['_id']}/resend", headers=bearer(OFFICER)
    )
    assert response.status_code == 409
    assert len(provider.delivered) == 0
