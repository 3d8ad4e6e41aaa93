"""Sending a due message on the in-memory stores: each outcome is one change of the aggregate."""

from __future__ import annotations

from datetime import timedelta

from notifications.domain.clock import JAKARTA
from notifications.domain.delivery import CancelReason, Outcome, State
from plut_shared.contracts import training
from plut_shared.contracts.registration import Channel
from plut_shared.messaging import Cause

from tests.unit.notifications.examples import UMKM_ID, registered
from tests.unit.notifications.harness import (
    MORNING,
    OFFICER,
    envelope,
    notifications,
    permanent,
    transient,
)

DELIVERED = "notifications.message.delivered"
FAILED = "notifications.message.failed"


async def registered_owner(app, **changes):
    payload = registered(**changes)
    event = envelope(payload)
    await app.handle(event, payload)
    return event


async def test_a_due_message_is_delivered_on_the_preferred_channel_and_announced():
    app = notifications()
    event = await registered_owner(app)
    assert await app.dispatcher.dispatch_due() == 1
    [sent] = app.channels[Channel.WHATSAPP].sent
    message = await app.only_message()
    assert sent.to == "+6281234567890"
    assert sent.idempotency_key == f"{message.message_id}:whatsapp"
    assert "Halo Bapak/Ibu Siti Rahayu" in sent.message.body
    assert (message.state, message.channel, message.delivered_at) == (
        State.DELIVERED,
        "whatsapp",
        MORNING,
    )
    assert message.provider_message_id == "whatsapp-1"
    [announced] = app.messages.events_of(DELIVERED)
    assert announced.payload["causation_event_id"] == event.event_id
    assert (announced.correlation_id, announced.causation_id) == (
        event.correlation_id,
        event.event_id,
    )


async def test_a_transient_failure_is_retried_after_the_backoff():
    app = notifications()
    await registered_owner(app)
    app.channels[Channel.WHATSAPP].fail_next(transient())
    await app.dispatcher.dispatch_due()
    waiting = await app.only_message()
    assert (waiting.state, waiting.due_at) == (State.RETRYING, MORNING + timedelta(seconds=30))
    assert waiting.attempts == {"whatsapp": 1}
    assert waiting.last_error == "provider answered 503"
    assert await app.dispatcher.dispatch_due() == 0  # not due yet
    app.clock.advance(timedelta(seconds=30))
    await app.dispatcher.dispatch_due()
    delivered = await app.only_message()
    assert delivered.state == State.DELIVERED
    assert [attempt.outcome for attempt in delivered.history] == [
        Outcome.TRANSIENT,
        Outcome.DELIVERED,
    ]


async def test_a_channel_that_keeps_failing_is_given_up_for_the_next_one():
    app = notifications()
    await registered_owner(app)
    app.channels[Channel.WHATSAPP].fail_next(transient(), times=3)  # max_attempts is 3
    for _ in range(4):  # three tries on WhatsApp, then SMS
        await app.dispatcher.dispatch_due()
        app.clock.advance(timedelta(minutes=5))
    message = await app.only_message()
    assert message.state == State.DELIVERED
    assert message.channel == "sms"
    assert message.exhausted_channels == ["whatsapp"]
    assert message.attempts == {"whatsapp": 3, "sms": 1}
    assert len(app.channels[Channel.SMS].sent) == 1


async def test_a_refused_message_falls_back_to_the_next_channel_at_once():
    app = notifications()
    await registered_owner(app)
    app.channels[Channel.WHATSAPP].fail_next(permanent())
    await app.dispatcher.dispatch_due()
    fallen_back = await app.only_message()
    assert (fallen_back.state, fallen_back.due_at) == (State.SCHEDULED, MORNING)
    assert fallen_back.history[0].outcome == Outcome.GAVE_UP
    await app.dispatcher.dispatch_due()
    assert [(name, sent.idempotency_key.split(":")[1]) for name, sent in app.all_sent()] == [
        (Channel.SMS, "sms")
    ]


async def test_with_every_channel_refused_the_message_fails_and_the_failure_is_announced():
    app = notifications()
    event = await registered_owner(app, email=None)
    app.channels[Channel.WHATSAPP].fail_next(permanent())
    app.channels[Channel.SMS].fail_next(permanent("provider refused the message (422)"))
    for _ in range(3):
        await app.dispatcher.dispatch_due()
    message = await app.only_message()
    assert message.state == State.FAILED
    assert message.failed_at == MORNING
    [failure] = app.messages.events_of(FAILED)
    assert failure.payload["channel"] == "sms"
    assert failure.payload["attempts"] == 2
    assert failure.payload["error"] == "provider refused the message (422)"
    assert failure.causation_id == event.event_id
    assert app.messages.events_of(DELIVERED) == []


async def test_a_phone_message_that_comes_due_in_quiet_hours_waits_until_seven():
    evening = MORNING.replace(hour=13, minute=59)  # 20.59 WIB
    app = notifications(now=evening)
    await registered_owner(app)
    app.clock.advance(timedelta(minutes=30))  # the queue was slow: now 21.29 WIB
    await app.dispatcher.dispatch_due()
    deferred = await app.only_message()
    assert deferred.state == State.SCHEDULED
    assert deferred.due_at.astimezone(JAKARTA).strftime("%d %H:%M") == "11 07:00"
    assert deferred.history == [] and deferred.attempts == {}
    assert app.all_sent() == []


async def test_a_message_for_an_owner_erased_meanwhile_is_cancelled_and_scrubbed():
    app = notifications()
    await registered_owner(app)
    await app.contacts.change(UMKM_ID, lambda contact: contact.erase(), Cause("corr-test"))
    await app.dispatcher.dispatch_due()
    message = await app.only_message()
    assert (message.state, message.cancel_reason) == (State.CANCELLED, CancelReason.ERASED)
    assert message.payload is None
    assert app.all_sent() == []


async def test_a_message_for_an_owner_not_yet_known_waits_for_the_contact():
    app = notifications()
    payload = training.EnrollmentWaitlisted(
        umkm_id=UMKM_ID,
        session_id="session-42",
        topic="Pemasaran digital",
        starts_at=MORNING + timedelta(days=3),
        place="Aula PLUT Kota Mojokerto",
        waitlist_position=3,
    )
    await app.handle(envelope(payload, producer="training"), payload)
    await app.dispatcher.dispatch_due()
    waiting = await app.only_message()
    assert (waiting.state, waiting.channel) == (State.RETRYING, "contact")
    assert waiting.attempts == {"contact": 1}
    registration = registered()
    await app.handle(envelope(registration), registration)
    app.clock.advance(timedelta(minutes=1))
    await app.dispatcher.dispatch_due()
    assert (await app.message("enrollment_waitlisted")).state == State.DELIVERED


async def test_a_contact_that_never_arrives_fails_the_message():
    app = notifications()
    payload = training.EnrollmentWaitlisted(
        umkm_id=UMKM_ID,
        session_id="session-42",
        topic="Pemasaran digital",
        starts_at=MORNING + timedelta(days=3),
        place="Aula PLUT Kota Mojokerto",
        waitlist_position=3,
    )
    await app.handle(envelope(payload, producer="training"), payload)
    for _ in range(3):
        await app.dispatcher.dispatch_due()
        app.clock.advance(timedelta(minutes=10))
    message = await app.only_message()
    assert message.state == State.FAILED
    assert message.attempts == {"contact": 3}
    [failure] = app.messages.events_of(FAILED)
    assert (failure.payload["channel"], failure.payload["attempts"]) == ("contact", 3)


async def test_an_owner_with_no_usable_channel_gets_a_cancelled_message():
    app = notifications()
    await registered_owner(app, email=None)
    for channel in (Channel.WHATSAPP, Channel.SMS):
        await app.operations.set_opt_out(UMKM_ID, channel, True, OFFICER)
    await app.dispatcher.dispatch_due()
    message = await app.only_message()
    assert (message.state, message.cancel_reason) == (State.CANCELLED, CancelReason.NO_CHANNEL)
    assert app.messages.events_of(FAILED) == []
