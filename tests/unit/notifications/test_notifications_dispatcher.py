"""The dispatcher on the in-memory stores: claims by compare-and-swap, sends side by side."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from notifications.dispatcher import Dispatcher
from notifications.domain.delivery import State
from plut_shared.contracts.registration import Channel

from tests.support.waiting import eventually
from tests.unit.notifications.examples import registered
from tests.unit.notifications.harness import LEASE, MORNING, envelope, notifications


async def register(app, umkm_id: str = "umkm-0001", **changes):
    payload = registered(umkm_id=umkm_id, **changes)
    await app.handle(envelope(payload), payload)


def replica(app) -> Dispatcher:
    """A second process's dispatcher: same store, same clock, its own in-flight sends."""
    return Dispatcher(
        app.scheduled, app.queries, app.sender, app.clock, poll_interval=0.01, lease=LEASE
    )


async def test_a_claim_takes_the_message_for_the_length_of_the_lease():
    app = notifications()
    await register(app)
    claimed = await app.dispatcher.claim(await app.only_message())
    assert claimed is not None
    stored = await app.only_message()
    assert (stored.state, stored.lease_until) == (State.SENDING, MORNING + LEASE)


async def test_a_message_is_claimed_once_however_many_try():
    app = notifications()
    await register(app)
    message = await app.only_message()
    first, second = await app.dispatcher.claim(message), await replica(app).claim(message)
    assert first is not None
    assert second is None


async def test_two_replicas_that_see_one_due_message_send_it_once():
    app = notifications()
    await register(app)
    taken = await asyncio.gather(app.dispatcher.dispatch_due(), replica(app).dispatch_due())
    assert taken == [1, 1]  # both saw it due
    assert len(app.channels[Channel.WHATSAPP].sent) == 1
    assert len(app.messages.events_of("notifications.message.delivered")) == 1


async def test_a_message_whose_sender_died_is_sent_again_after_the_lease_with_the_same_key():
    app = notifications()
    await register(app)
    await replica(app).claim(await app.only_message())  # ...and that process died
    assert await app.dispatcher.dispatch_due() == 0
    app.clock.advance(LEASE + timedelta(seconds=1))
    assert await app.dispatcher.dispatch_due() == 1
    [sent] = app.channels[Channel.WHATSAPP].sent
    assert sent.idempotency_key == f"{(await app.only_message()).message_id}:whatsapp"


async def test_a_message_not_due_yet_is_left_alone():
    app = notifications(now=MORNING.replace(hour=15))  # 22.00 WIB: due at 07.00
    await register(app)
    assert await app.dispatcher.dispatch_due() == 0
    assert await app.dispatcher.claim(await app.only_message()) is None
    assert (await app.only_message()).state == State.SCHEDULED


async def test_a_slow_send_does_not_hold_up_other_messages():
    app = notifications()
    release = app.channels[Channel.WHATSAPP].hold()
    await register(app, "umkm-slow")
    await register(app, "umkm-email", preferred_channel="email")
    await app.dispatcher.start()
    try:
        await eventually(lambda: _sent(app, Channel.EMAIL), lambda sent: sent == 1)
        assert app.channels[Channel.WHATSAPP].calls == 1  # in flight, not finished
        release.set()
        await eventually(lambda: _sent(app, Channel.WHATSAPP), lambda sent: sent == 1)
    finally:
        await app.dispatcher.stop()


async def test_a_scheduled_message_wakes_the_running_dispatcher():
    app = notifications(poll_interval=60)  # only a wake can make it send in time
    await app.dispatcher.start()
    try:
        await register(app)
        await eventually(lambda: _sent(app, Channel.WHATSAPP), lambda sent: sent == 1)
    finally:
        await app.dispatcher.stop()


async def test_stopping_cuts_a_send_short_after_the_grace_and_leaves_it_claimed():
    app = notifications(shutdown_grace=0.01)
    app.channels[Channel.WHATSAPP].hold()  # never answers
    await register(app)
    await app.dispatcher.start()
    await eventually(lambda: _calls(app, Channel.WHATSAPP), lambda calls: calls == 1)
    await app.dispatcher.stop()
    assert (await app.only_message()).state == State.SENDING  # retaken after its lease


async def _sent(app, channel: Channel) -> int:
    return len(app.channels[channel].sent)


async def _calls(app, channel: Channel) -> int:
    return app.channels[channel].calls
