"""Provider failures: retried with backoff, then the next channel, then recorded as failed."""

from __future__ import annotations

from tests.component.notifications.events import EMAIL, PHONE, registered
from tests.support.event_probe import EventProbe
from tests.support.waiting import eventually


async def settled(service, umkm_id: str, state: str) -> dict:
    [message] = await eventually(
        lambda: service.messages(umkm_id),
        lambda docs: len(docs) == 1 and docs[0]["state"] == state,
    )
    return message


async def test_a_provider_that_is_down_then_up_gets_the_message_after_retries(
    service, provider, unique_id
):
    provider.fail_next(503, times=2)
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id))
    message = await settled(service, umkm_id, "delivered")
    assert [attempt["outcome"] for attempt in message["history"]] == [
        "transient",
        "transient",
        "delivered",
    ]
    assert message["attempts"] == {"whatsapp": 3}
    assert [request.channel for request in provider.requests] == ["whatsapp"] * 3
    assert len(provider.delivered) == 1
    [event] = await service.events.wait_for(lambda e: e.payload["umkm_id"] == umkm_id)
    assert event.event_type == "notifications.message.delivered"


async def test_each_retry_waits_twice_as_long_as_the_one_before(start_service, provider, unique_id):
    service = await start_service(backoff_base_s=0.2, backoff_max_s=5)
    provider.fail_next(503, times=2)
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id))
    message = await settled(service, umkm_id, "delivered")
    first, second, third = (attempt["at"] for attempt in message["history"])
    assert (second - first).total_seconds() >= 0.2
    assert (third - second).total_seconds() >= 0.4


async def test_a_refused_whatsapp_message_falls_back_to_sms(service, provider, unique_id):
    provider.fail_next(400)
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id))
    message = await settled(service, umkm_id, "delivered")
    assert message["channel"] == "sms"
    assert [(r.channel, r.to) for r in provider.requests] == [("whatsapp", PHONE), ("sms", PHONE)]


async def test_when_the_phone_provider_refuses_everything_the_email_goes_out(
    service, provider, smtp_sink, unique_id
):
    provider.fail_next(400, times=2)
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id))
    [email] = await smtp_sink.wait_for(1)
    assert email.rcpt_tos == (EMAIL,)
    message = await settled(service, umkm_id, "delivered")
    assert message["channel"] == "email"
    assert sorted(message["exhausted_channels"]) == ["sms", "whatsapp"]


async def test_exhausted_retries_record_the_failure_and_publish_message_failed(
    service, provider, unique_id
):
    # max_attempts=3 per channel; no email, so WhatsApp and SMS are all there is.
    provider.fail_next(503, times=6)
    umkm_id = f"umkm-{unique_id}"
    event = registered(umkm_id, email=None)
    await service.publish(event)
    message = await settled(service, umkm_id, "failed")
    assert message["attempts"] == {"whatsapp": 3, "sms": 3}
    assert message["last_error"] == "provider answered 503"
    [failed] = await service.events.wait_for(lambda e: e.payload["umkm_id"] == umkm_id)
    assert failed.event_type == "notifications.message.failed"
    assert failed.payload["attempts"] == 6
    assert failed.payload["channel"] == "sms"
    assert failed.payload["error"] == "provider answered 503"
    assert failed.payload["causation_event_id"] == event.event_id
    assert provider.delivered == []


async def test_a_message_whose_sender_died_mid_send_is_sent_again_and_arrives_once(
    start_service, provider, unique_id, mongo_client, database_name, own_vhost_url
):
    # The provider accepts, but the process stops before recording it: after the
    # claim's lease the next process sends again, with the same idempotency key.
    first = await start_service(send_lease_s=0.5, dispatch_shutdown_grace_s=0.05)
    provider.delay_next(1.0)
    umkm_id = f"umkm-{unique_id}"
    await first.publish(registered(umkm_id))
    await eventually(lambda: _count(provider.requests), lambda n: n == 1)
    await first.stop()
    [stuck] = await mongo_client[database_name].messages.find({"umkm_id": umkm_id}).to_list()
    assert stuck["state"] == "sending"
    await provider.wait_for(1)  # the provider did accept it
    # Bound before the restart: the new process sends what is due at once.
    # As the administrator: a service's own broker user may not declare a probe queue.
    async with EventProbe(own_vhost_url, ["notifications.#"]) as events:
        second = await start_service(clock=first.clock)
        message = await settled(second, umkm_id, "delivered")
        assert len(provider.requests) == 2
        assert {request.idempotency_key for request in provider.requests} == {
            f"{message['_id']}:whatsapp"
        }
        assert len(provider.delivered) == 1
        await events.wait_for(lambda e: e.payload["umkm_id"] == umkm_id)


async def _count(items: list) -> int:
    return len(items)
