"""The event handlers on the in-memory stores: contact book and scheduling, exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from notifications.domain.clock import JAKARTA
from notifications.domain.delivery import CancelReason, State
from notifications.domain.rules import message_id
from plut_shared.contracts import training
from plut_shared.contracts.registration import (
    UmkmConsentChanged,
    UmkmErased,
    UmkmProfileUpdated,
)
from plut_shared.messaging import InvalidMessage

from tests.unit.notifications.examples import UMKM_ID, registered
from tests.unit.notifications.harness import MORNING, envelope, notifications

PERSONAL = ("Siti Rahayu", "Sepatu Maja Citra", "+6281234567890", "siti@example.id")


def enrollment(kind: type, session_id: str = "session-42", days_ahead: int = 3):
    payload = kind(
        umkm_id=UMKM_ID,
        session_id=session_id,
        topic="Pemasaran digital",
        starts_at=MORNING + timedelta(days=days_ahead),
        place="Aula PLUT Kota Mojokerto",
    )
    return envelope(payload, producer="training"), payload


async def register(app, **changes):
    payload = registered(**changes)
    event = envelope(payload)
    await app.handle(event, payload)
    return event


async def test_a_registration_creates_the_contact_and_schedules_a_welcome():
    app = notifications()
    event = await register(app)
    contact = await app.contacts.get(UMKM_ID)
    assert contact is not None and contact.phone == "+6281234567890"
    welcome = await app.only_message()
    assert welcome.message_id == message_id(event.event_id, "welcome")
    assert (welcome.state, welcome.due_at) == (State.SCHEDULED, MORNING)
    assert welcome.planned_channels == ["whatsapp", "sms", "email"]
    assert welcome.causation_event_id == event.event_id
    assert app.wakes  # the dispatcher was told


async def test_a_redelivered_registration_changes_nothing():
    app = notifications()
    event = await register(app)
    versions = dict(app.contacts.versions), dict(app.messages.versions)
    await app.handle(event, registered())
    assert (app.contacts.versions, app.messages.versions) == versions
    assert len(app.messages.documents) == 1


async def test_the_stored_message_keeps_no_personal_data():
    app = notifications()
    await register(app)
    stored = repr(app.messages.documents)
    for value in (*PERSONAL, "3576014101900001", "1234567890123"):
        assert value not in stored


async def test_a_profile_update_changes_the_contact_once():
    app = notifications()
    await register(app)
    payload = UmkmProfileUpdated(umkm_id=UMKM_ID, changed={"phone": "+6285711112222"})
    event = envelope(payload)
    await app.handle(event, payload)
    version = app.contacts.versions[UMKM_ID]
    await app.handle(event, payload)
    assert app.contacts.versions[UMKM_ID] == version
    assert (await app.contacts.get(UMKM_ID)).phone == "+6285711112222"


async def test_a_profile_update_for_an_unknown_owner_changes_nothing():
    app = notifications()
    payload = UmkmProfileUpdated(umkm_id=UMKM_ID, changed={"phone": "+6285711112222"})
    await app.handle(envelope(payload), payload)
    assert app.contacts.documents == {}


async def test_a_profile_update_with_a_bad_value_is_an_invalid_message_naming_the_field():
    app = notifications()
    await register(app)
    payload = UmkmProfileUpdated(umkm_id=UMKM_ID, changed={"preferred_channel": "+6281111111111"})
    with pytest.raises(InvalidMessage, match="preferred_channel") as raised:
        await app.handle(envelope(payload), payload)
    assert "+6281111111111" not in str(raised.value)
    assert (await app.contacts.get(UMKM_ID)).preferred_channel == "whatsapp"


def test_consent_changes_are_not_handled_here():
    # Nothing in this service depends on consents: the queue's wildcard brings
    # the event, and the consumer acknowledges it as not this service's concern.
    assert UmkmConsentChanged.__event_type__ not in notifications().handlers.routes()


async def test_an_erasure_leaves_a_tombstone_and_scrubs_every_message():
    app = notifications()
    await register(app)
    reminder_event, reminder = enrollment(training.EnrollmentConfirmed)
    await app.handle(reminder_event, reminder)
    erasure = UmkmErased(umkm_id=UMKM_ID)
    await app.handle(envelope(erasure), erasure)
    contact = await app.contacts.get(UMKM_ID)
    assert contact is not None and contact.is_erased
    stored = repr(app.contacts.documents) + repr(app.messages.documents)
    for value in PERSONAL:
        assert value not in stored
    reminder_message = await app.message("training_reminder")
    assert reminder_message.payload is None and reminder_message.erased_at == MORNING
    assert (reminder_message.state, reminder_message.cancel_reason) == (
        State.CANCELLED,
        CancelReason.ERASED,
    )
    assert "payload" not in app.messages.documents[reminder_message.message_id]


async def test_a_registration_after_the_erasure_does_not_resurrect_the_owner():
    app = notifications()
    erasure = UmkmErased(umkm_id=UMKM_ID)
    await app.handle(envelope(erasure), erasure)  # erased before we heard of them
    await register(app)
    contact = await app.contacts.get(UMKM_ID)
    assert contact is not None and contact.is_erased and contact.phone is None
    assert app.messages.documents == {}  # nobody to welcome


async def test_a_late_event_about_an_erased_owner_schedules_nothing():
    app = notifications()
    await register(app)
    erasure = UmkmErased(umkm_id=UMKM_ID)
    await app.handle(envelope(erasure), erasure)
    event, payload = enrollment(training.EnrollmentConfirmed)
    await app.handle(event, payload)
    assert len(app.messages.documents) == 1  # the welcome only


async def test_a_confirmation_schedules_a_reminder_the_day_before_the_session():
    app = notifications()
    await register(app)
    event, payload = enrollment(training.EnrollmentConfirmed)
    await app.handle(event, payload)
    reminder = await app.message("training_reminder")
    assert reminder.due_at == payload.starts_at - timedelta(days=1)
    assert (await app.message("enrollment_confirmed")).due_at == MORNING


async def test_a_message_scheduled_at_night_waits_for_seven_in_the_morning():
    app = notifications(now=MORNING.replace(hour=15))  # 22.00 WIB
    await register(app)
    welcome = await app.only_message()
    assert welcome.due_at.astimezone(JAKARTA).hour == 7


async def test_a_cancelled_enrollment_cancels_its_waiting_reminder_only():
    app = notifications()
    await register(app)
    for session in ("session-42", "session-43"):
        event, payload = enrollment(training.EnrollmentConfirmed, session_id=session)
        await app.handle(event, payload)
    event, payload = enrollment(training.EnrollmentCancelled, session_id="session-42")
    await app.handle(event, payload)
    reminders = [m for m in await app.all_messages() if m.template == "training_reminder"]
    states = {message.payload["session_id"]: message for message in reminders}
    assert states["session-42"].state == State.CANCELLED
    assert states["session-42"].cancel_reason == CancelReason.SUPERSEDED
    assert states["session-43"].state == State.SCHEDULED


def mentoring(kind: type, appointment_id: str):
    payload = kind(
        umkm_id=UMKM_ID,
        appointment_id=appointment_id,
        consultant_area="marketing",
        at=MORNING + timedelta(days=2),
    )
    return envelope(payload, producer="training"), payload


async def test_a_cancelled_appointment_cancels_its_booking_message_still_waiting_only():
    app = notifications(now=MORNING.replace(hour=15))  # 22.00 WIB: messages wait until 07.00
    await register(app)
    for appointment in ("apt-1", "apt-2"):
        await app.handle(*mentoring(training.MentoringScheduled, appointment))
    await app.handle(*mentoring(training.MentoringCancelled, "apt-1"))
    booked = [m for m in await app.all_messages() if m.template == "mentoring_scheduled"]
    states = {message.payload["appointment_id"]: message for message in booked}
    assert states["apt-1"].state == State.CANCELLED
    assert states["apt-1"].cancel_reason == CancelReason.SUPERSEDED
    assert states["apt-2"].state == State.SCHEDULED
    assert (await app.message("mentoring_cancelled")).state == State.SCHEDULED


async def test_an_event_for_an_owner_not_yet_known_is_scheduled_without_channels():
    app = notifications()
    event, payload = enrollment(training.EnrollmentConfirmed)
    await app.handle(event, payload)
    confirmation = await app.message("enrollment_confirmed")
    assert confirmation.planned_channels == []
    assert confirmation.language == "id"


async def test_every_scheduled_message_is_listed_under_its_owner_once():
    app = notifications()
    await register(app)
    event, payload = enrollment(training.EnrollmentConfirmed)
    for _ in range(2):  # the second is a redelivery
        await app.handle(event, payload)
    listed = await app.owners.message_ids(UMKM_ID)
    assert sorted(listed) == sorted(app.messages.documents)
    assert len(listed) == 3  # welcome, confirmation, reminder
