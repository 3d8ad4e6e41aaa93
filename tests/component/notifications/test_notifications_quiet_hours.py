"""Quiet hours (21:00-07:00 WIB) and reminders, with a clock the test moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from notifications.domain.clock import JAKARTA, FixedClock

from tests.component.notifications.events import (
    cancelled,
    confirmed,
    enrollment,
    promoted,
    registered,
)
from tests.support.waiting import eventually


def wib(day: int, hour: int, minute: int = 0, second: float = 0) -> datetime:
    """An instant in November 2026, given in Jakarta time, as UTC."""
    whole = int(second)
    micro = round((second - whole) * 1_000_000)
    return datetime(2026, 11, day, hour, minute, whole, micro, tzinfo=JAKARTA).astimezone(UTC)


async def messages_by_template(service, umkm_id: str, count: int) -> dict[str, dict]:
    docs = await eventually(lambda: service.messages(umkm_id), lambda found: len(found) == count)
    return {doc["template"]: doc for doc in docs}


async def test_a_whatsapp_welcome_at_ten_at_night_waits_until_seven(
    start_service, provider, unique_id
):
    clock = FixedClock(wib(10, 22))
    service = await start_service(clock=clock)
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id))
    welcome = (await messages_by_template(service, umkm_id, 1))["welcome"]
    assert welcome["state"] == "scheduled"
    assert welcome["due_at"] == wib(11, 7)
    assert await service.dispatcher.dispatch_due() == 0
    assert provider.requests == []
    clock.set(wib(11, 7))
    service.dispatcher.wake()
    [request] = await provider.wait_for(1)
    assert request.channel == "whatsapp"


async def test_an_urgent_promotion_goes_out_at_night(start_service, provider, unique_id):
    clock = FixedClock(wib(10, 23))
    service = await start_service(clock=clock)
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id))
    await service.publish(enrollment(promoted, umkm_id, starts_at=wib(13, 9)))
    [request] = await provider.wait_for(1)
    assert (await _delivered_template(service, umkm_id)) == "enrollment_promoted"
    assert request.channel == "whatsapp"
    templates = await messages_by_template(service, umkm_id, 3)
    assert templates["welcome"]["state"] == "scheduled"
    assert templates["training_reminder"]["due_at"] == wib(12, 9)


async def _delivered_template(service, umkm_id: str) -> str:
    [doc] = await eventually(
        lambda: service.db.messages.find({"umkm_id": umkm_id, "state": "delivered"}).to_list(),
        lambda found: len(found) == 1,
    )
    return doc["template"]


async def test_an_email_is_not_held_back_at_night(start_service, smtp_sink, provider, unique_id):
    service = await start_service(clock=FixedClock(wib(10, 23, 30)))
    await service.publish(registered(f"umkm-{unique_id}", preferred_channel="email"))
    [email] = await smtp_sink.wait_for(1)
    assert email.subject.startswith("Selamat datang di PLUT")
    assert provider.requests == []


async def test_a_retry_that_would_fall_at_night_waits_until_seven(
    start_service, provider, unique_id
):
    # Fails one hundredth of a second before 21:00; the retry 0.05 s later is in quiet hours.
    clock = FixedClock(wib(10, 20, 59, 59.99))
    service = await start_service(clock=clock)
    provider.fail_next(503)
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id))
    [message] = await eventually(
        lambda: service.messages(umkm_id),
        lambda docs: len(docs) == 1 and docs[0]["state"] == "retrying",
    )
    assert message["due_at"] == wib(11, 7)
    assert len(provider.requests) == 1


async def test_a_training_reminder_goes_out_the_day_before_the_session(
    start_service, provider, unique_id
):
    clock = FixedClock(wib(10, 10))
    service = await start_service(clock=clock)
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id))
    await service.publish(enrollment(confirmed, umkm_id, starts_at=wib(13, 9)))
    await provider.wait_for(2)  # welcome and confirmation
    reminder = (await messages_by_template(service, umkm_id, 3))["training_reminder"]
    assert reminder["due_at"] == wib(12, 9)
    clock.set(wib(12, 9) - timedelta(seconds=1))
    assert await service.dispatcher.dispatch_due() == 0
    clock.set(wib(12, 9))
    service.dispatcher.wake()
    requests = await provider.wait_for(3)
    assert (
        'mengingatkan: pelatihan "Pemasaran digital" dimulai Jumat, 13 November 2026 09.00 WIB'
        in requests[2].text
    )


async def test_a_cancelled_enrollment_cancels_its_pending_reminder(
    start_service, provider, unique_id
):
    clock = FixedClock(wib(10, 10))
    service = await start_service(clock=clock)
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id))
    await service.publish(enrollment(confirmed, umkm_id, starts_at=wib(13, 9)))
    await service.publish(enrollment(cancelled, umkm_id, starts_at=wib(13, 9)))
    templates = await eventually(
        lambda: messages_by_template(service, umkm_id, 4),
        lambda found: found["training_reminder"]["state"] == "cancelled",
    )
    assert templates["training_reminder"]["cancel_reason"] == "superseded"
    await provider.wait_for(3)  # welcome, confirmation, cancellation
    clock.set(wib(12, 9))
    assert await service.dispatcher.dispatch_due() == 0
    assert len(provider.requests) == 3
