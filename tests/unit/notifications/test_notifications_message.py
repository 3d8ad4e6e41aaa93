"""The message aggregate and its document: transitions, and nothing lost on the way to the store."""

from __future__ import annotations

from datetime import timedelta

import pytest
from notifications.adapters.contact_book import ContactMapper
from notifications.adapters.messages import MessageMapper
from notifications.domain.delivery import CancelReason, State
from notifications.domain.message import Message, ResendRefused
from notifications.domain.payloads import storable
from notifications.domain.rules import Rule
from plut_shared.contracts.registration import Channel
from plut_shared.messaging.outbox import KERNEL_FIELDS

from tests.unit.notifications.examples import CENTRE, contact, registered
from tests.unit.notifications.harness import MORNING, POLICY, envelope

LATER = MORNING + timedelta(minutes=5)


def scheduled() -> Message:
    return Message.schedule(
        envelope(registered()),
        Rule("registration.umkm.registered", "welcome"),
        storable(registered()),
        language="id",
        channels=["whatsapp", "sms"],
        due_at=MORNING,
        now=MORNING,
    )


def round_trip(message: Message) -> Message:
    mapper = MessageMapper()
    document = mapper.to_document(message)
    assert not KERNEL_FIELDS & set(document)
    return mapper.from_document({**document, "_id": message.message_id, "version": 3})


def test_a_message_with_every_field_set_comes_back_from_its_document_unchanged():
    message = scheduled()
    message.claim(MORNING, LATER)
    message.failed_transiently("whatsapp", "provider answered 503", MORNING, POLICY)
    message.claim(LATER, LATER + timedelta(minutes=2))
    message.give_up_channel("whatsapp", "provider refused the message (400)", LATER)
    message.claim(LATER, LATER + timedelta(minutes=2))
    message.delivered("sms", "sms-1", LATER)
    message.scrub(LATER)
    assert round_trip(message) == message
    assert message.cancel_reason is None and message.erased_at == LATER


def test_a_cancelled_message_comes_back_with_its_reason():
    message = scheduled()
    message.cancel(CancelReason.SUPERSEDED, LATER)
    assert round_trip(message).cancel_reason is CancelReason.SUPERSEDED


def test_an_erased_messages_document_has_no_payload_at_all():
    message = scheduled()
    message.scrub(LATER)
    assert "payload" not in MessageMapper().to_document(message)
    assert (message.state, message.cancel_reason) == (State.CANCELLED, CancelReason.ERASED)


def test_a_message_being_sent_is_not_cancelled_as_made_pointless():
    message = scheduled()
    message.claim(MORNING, LATER)
    assert message.cancel(CancelReason.SUPERSEDED, MORNING) is False
    assert message.state is State.SENDING


def test_a_claimed_message_is_due_again_only_once_its_lease_ran_out():
    message = scheduled()
    assert message.claim(MORNING, LATER) is True
    assert message.claim(MORNING, LATER) is False
    assert message.is_due(LATER + timedelta(microseconds=1))


def test_delivery_records_one_event_handed_over_once():
    message = scheduled()
    message.claim(MORNING, LATER)
    message.delivered("whatsapp", None, MORNING)
    [event] = message.pull_events()
    assert (event.message_id, event.channel, event.template) == (
        message.message_id,
        "whatsapp",
        "welcome",
    )
    assert message.pull_events() == []


def test_a_resend_is_refused_unless_the_message_failed():
    message = scheduled()
    with pytest.raises(ResendRefused):
        message.resend(LATER)


def test_an_erased_contact_is_stored_without_personal_fields():
    owner = contact()
    owner.erase()
    document = ContactMapper().to_document(owner)
    assert not {"owner_name", "business_name", "phone", "email"} & set(document)
    assert document["is_erased"] is True and document["centre_id"] == CENTRE
    assert ContactMapper().from_document({**document, "_id": owner.umkm_id}) == owner


def test_a_contact_comes_back_from_its_document_unchanged():
    owner = contact()
    owner.opt_out(Channel.SMS)
    assert (
        ContactMapper().from_document({**ContactMapper().to_document(owner), "_id": owner.umkm_id})
        == owner
    )
