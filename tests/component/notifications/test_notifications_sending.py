"""From an event to a message at the provider: once, in Indonesian, without personal data kept."""

from __future__ import annotations

from datetime import timedelta

from tests.component.notifications.events import (
    BUSINESS,
    EMAIL,
    OWNER,
    PHONE,
    confirmed,
    enrollment,
    mentoring_cancelled,
    profile_updated,
    registered,
)
from tests.support.waiting import eventually


async def delivered_state(service, umkm_id: str) -> list[dict]:
    return await eventually(
        lambda: service.messages(umkm_id),
        lambda docs: len(docs) == 1 and docs[0]["state"] == "delivered",
    )


async def test_a_registration_sends_one_welcome_on_whatsapp_in_indonesian(
    service, provider, unique_id
):
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id))
    [request] = await provider.wait_for(1)
    assert request.channel == "whatsapp"
    assert request.to == PHONE
    assert f"Halo Bapak/Ibu {OWNER}, selamat datang di PLUT!" in request.text
    [message] = await delivered_state(service, umkm_id)
    assert request.idempotency_key == f"{message['_id']}:whatsapp"
    assert message["template"] == "welcome"
    assert message["language"] == "id"


async def test_a_delivery_publishes_message_delivered_with_its_causation(
    service, provider, unique_id
):
    umkm_id = f"umkm-{unique_id}"
    event = registered(umkm_id)
    await service.publish(event)
    [delivered] = await service.events.wait_for(lambda e: e.payload["umkm_id"] == umkm_id)
    assert delivered.event_type == "notifications.message.delivered"
    assert delivered.payload["channel"] == "whatsapp"
    assert delivered.payload["template"] == "welcome"
    assert delivered.payload["causation_event_id"] == event.event_id
    assert delivered.causation_id == event.event_id
    assert delivered.correlation_id == event.correlation_id


async def test_a_redelivered_event_sends_nothing_twice(service, provider, unique_id):
    umkm_id = f"umkm-{unique_id}"
    event = registered(umkm_id)
    await service.publish(event)
    await provider.wait_for(1)
    await service.publish(event)
    # Events of one owner are handled in order: once this later one shows, the
    # duplicate before it has been handled too.
    await service.publish(profile_updated(umkm_id, business_name="Sepatu Baru"))
    await eventually(
        lambda: service.contact(umkm_id),
        lambda doc: doc is not None and doc["business_name"] == "Sepatu Baru",
    )
    await service.dispatcher.dispatch_due()
    assert len(provider.requests) == 1
    assert len(await service.messages(umkm_id)) == 1
    assert len(service.events.matching(lambda e: e.payload["umkm_id"] == umkm_id)) == 1


async def test_the_message_log_keeps_no_address_name_or_text(service, provider, unique_id):
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id))
    [message] = await delivered_state(service, umkm_id)
    stored = repr(message)
    for personal in (PHONE, EMAIL, OWNER, BUSINESS, "3576014101900001", "selamat datang"):
        assert personal not in stored


async def test_an_owner_who_prefers_email_gets_the_welcome_by_email(
    service, smtp_sink, provider, unique_id
):
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id, preferred_channel="email"))
    [email] = await smtp_sink.wait_for(1)
    assert email.rcpt_tos == (EMAIL,)
    assert email.subject == f"Selamat datang di PLUT, {BUSINESS}"
    assert provider.requests == []


async def test_an_english_speaking_owner_gets_the_english_template(service, provider, unique_id):
    await service.publish(registered(f"umkm-{unique_id}", language="en"))
    [request] = await provider.wait_for(1)
    assert f"Hello {OWNER}, welcome to PLUT!" in request.text


async def test_a_cancelled_mentoring_appointment_is_told_to_its_owner(service, provider, unique_id):
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id))
    await provider.wait_for(1)
    await service.publish(mentoring_cancelled(umkm_id, service.clock.now() + timedelta(days=2)))
    [_, request] = await provider.wait_for(2)
    assert request.to == PHONE
    assert f"Halo Bapak/Ibu {OWNER}, jadwal pendampingan bidang pemasaran" in request.text
    assert "dibatalkan" in request.text
    templates = [doc["template"] for doc in await service.messages(umkm_id)]
    assert sorted(templates) == ["mentoring_cancelled", "welcome"]


async def test_a_changed_phone_number_is_used_for_the_next_message(service, provider, unique_id):
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id, preferred_channel="email"))
    await service.publish(profile_updated(umkm_id, phone="+6285711112222", preferred_channel="sms"))
    await eventually(
        lambda: service.contact(umkm_id),
        lambda doc: doc is not None and doc["phone"] == "+6285711112222",
    )
    starts_at = service.clock.now() + timedelta(hours=3)
    await service.publish(enrollment(confirmed, umkm_id, starts_at))
    [request] = await provider.wait_for(1)
    assert request.channel == "sms"
    assert request.to == "+6285711112222"


async def test_sending_and_retrying_log_ids_but_no_personal_data(
    service, provider, smtp_sink, unique_id, caplog
):
    caplog.set_level("DEBUG")
    provider.fail_next(400)  # WhatsApp refused: falls back to SMS, through more code paths
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id))
    [message] = await delivered_state(service, umkm_id)
    # Our code and the kernel; driver libraries' DEBUG frame dumps are off in production.
    ours = [r for r in caplog.records if r.name.startswith(("notifications", "plut_shared"))]
    logged = " ".join(f"{record.getMessage()} {vars(record)}" for record in ours)
    assert message["_id"] in logged
    for personal in (PHONE, EMAIL, OWNER, BUSINESS, "3576014101900001", "selamat datang"):
        assert personal not in logged
