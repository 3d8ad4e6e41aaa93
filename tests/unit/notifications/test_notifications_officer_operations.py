"""What officers do over HTTP, on the in-memory stores: resend, opt-outs, the delivery log."""

from __future__ import annotations

import pytest
from notifications.domain.contacts import ContactErased
from notifications.domain.delivery import State
from notifications.domain.message import ResendRefused
from notifications.operations import NotFound
from plut_shared.contracts.registration import Channel, UmkmErased

from tests.unit.notifications.examples import UMKM_ID, registered
from tests.unit.notifications.harness import (
    MORNING,
    OFFICER,
    OTHER_OFFICER,
    envelope,
    notifications,
    permanent,
)


async def failed_welcome(app):
    payload = registered(email=None)
    await app.handle(envelope(payload), payload)
    app.channels[Channel.WHATSAPP].fail_next(permanent())
    app.channels[Channel.SMS].fail_next(permanent())
    for _ in range(3):
        await app.dispatcher.dispatch_due()
    message = await app.only_message()
    assert message.state == State.FAILED
    return message


async def test_a_failed_message_is_resent_on_every_channel_and_delivered():
    app = notifications()
    failed = await failed_welcome(app)
    woken = len(app.wakes)
    resent = await app.operations.resend(failed.message_id, OFFICER)
    assert (resent.state, resent.due_at, resent.resends) == (State.SCHEDULED, MORNING, 1)
    assert resent.exhausted_channels == [] and resent.failed_at is None
    assert len(app.wakes) == woken + 1
    await app.dispatcher.dispatch_due()
    delivered = await app.only_message()
    assert (delivered.state, delivered.channel) == (State.DELIVERED, "whatsapp")


async def test_only_a_failed_message_can_be_resent():
    app = notifications()
    payload = registered()
    await app.handle(envelope(payload), payload)
    await app.dispatcher.dispatch_due()
    delivered = await app.only_message()
    with pytest.raises(ResendRefused, match="only a failed message"):
        await app.operations.resend(delivered.message_id, OFFICER)
    assert (await app.only_message()).resends == 0


async def test_an_erased_owners_failed_message_cannot_be_resent():
    app = notifications()
    failed = await failed_welcome(app)
    erasure = UmkmErased(umkm_id=UMKM_ID)
    await app.handle(envelope(erasure), erasure)
    with pytest.raises(ResendRefused, match="erased"):
        await app.operations.resend(failed.message_id, OFFICER)


async def test_another_centres_message_looks_like_an_unknown_one():
    app = notifications()
    failed = await failed_welcome(app)
    with pytest.raises(NotFound):
        await app.operations.resend(failed.message_id, OTHER_OFFICER)
    with pytest.raises(NotFound):
        await app.operations.resend("no-such-message", OFFICER)
    assert (await app.only_message()).state == State.FAILED


async def test_the_delivery_log_lists_an_owners_messages_for_their_centre_only():
    app = notifications()
    payload = registered()
    await app.handle(envelope(payload), payload)
    await app.dispatcher.dispatch_due()
    [logged] = await app.operations.delivery_log(UMKM_ID, OFFICER)
    assert (logged.template, logged.state) == ("welcome", State.DELIVERED)
    with pytest.raises(NotFound):
        await app.operations.delivery_log(UMKM_ID, OTHER_OFFICER)
    with pytest.raises(NotFound):
        await app.operations.delivery_log("umkm-unknown", OFFICER)


async def test_an_opt_out_is_kept_and_an_opt_in_undoes_it():
    app = notifications()
    payload = registered()
    await app.handle(envelope(payload), payload)
    opted = await app.operations.set_opt_out(UMKM_ID, Channel.SMS, True, OFFICER)
    assert opted.opted_out == {Channel.SMS}
    assert (await app.operations.preferences(UMKM_ID, OFFICER)).opted_out == {Channel.SMS}
    back = await app.operations.set_opt_out(UMKM_ID, Channel.SMS, False, OFFICER)
    assert back.opted_out == frozenset()


async def test_opt_outs_are_refused_for_erased_owners_and_other_centres():
    app = notifications()
    payload = registered()
    await app.handle(envelope(payload), payload)
    with pytest.raises(NotFound):
        await app.operations.set_opt_out(UMKM_ID, Channel.SMS, True, OTHER_OFFICER)
    erasure = UmkmErased(umkm_id=UMKM_ID)
    await app.handle(envelope(erasure), erasure)
    version = app.contacts.versions[UMKM_ID]
    with pytest.raises(ContactErased):
        await app.operations.set_opt_out(UMKM_ID, Channel.SMS, True, OFFICER)
    assert app.contacts.versions[UMKM_ID] == version
