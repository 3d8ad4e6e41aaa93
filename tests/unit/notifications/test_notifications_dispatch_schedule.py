"""The dispatch schedule on the in-memory stores: write order, and what a crash can leave.

A `JournaledSchedule` notes, at each change of an entry, the state its message
had in the store at that moment, so the tests check the order of the two
writes (entry before a message is made to wait, removal only after it ended).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from notifications.adapters.dispatch_schedule import InMemoryDispatchSchedule
from notifications.adapters.scheduled_messages import follow
from notifications.domain.clock import JAKARTA
from notifications.domain.delivery import State
from plut_shared.contracts.registration import Channel, UmkmErased
from plut_shared.messaging import InMemoryAggregateStore

from tests.unit.notifications.examples import UMKM_ID, registered
from tests.unit.notifications.harness import LEASE, MORNING, OFFICER, envelope, notifications
from tests.unit.notifications.harness import permanent as refused
from tests.unit.notifications.harness import transient as unavailable

NOT_STORED = "not stored"


class JournaledSchedule(InMemoryDispatchSchedule):
    def __init__(self) -> None:
        super().__init__()
        self.store: InMemoryAggregateStore | None = None
        self.journal: list[tuple[str, str]] = []  # (entry change, message state meanwhile)

    def _note(self, change: str, message_id: str) -> None:
        assert self.store is not None
        document = self.store.documents.get(message_id)
        self.journal.append((change, NOT_STORED if document is None else document["state"]))

    async def not_later_than(self, message_id: str, due_at: datetime) -> bool:
        changed = await super().not_later_than(message_id, due_at)
        if changed:
            self._note("earlier", message_id)
        return changed

    async def move(self, message_id: str, due_at: datetime) -> bool:
        self._note("moved", message_id)
        return await super().move(message_id, due_at)

    async def remove(self, message_id: str) -> bool:
        self._note("removed", message_id)
        return await super().remove(message_id)


def journaled(now: datetime = MORNING):
    schedule = JournaledSchedule()
    app = notifications(now, schedule=schedule)
    schedule.store = app.messages
    return app, schedule


async def register(app) -> str:
    payload = registered()
    await app.handle(envelope(payload), payload)
    return (await app.only_message()).message_id


async def test_a_scheduled_message_has_its_entry_before_the_message_is_written():
    app, schedule = journaled()
    message_id = await register(app)
    assert schedule.journal[0] == ("earlier", NOT_STORED)
    assert schedule.entries == {message_id: MORNING}


async def test_a_claimed_message_has_its_entry_moved_to_the_lease_end_after_the_claim():
    app, schedule = journaled()
    message_id = await register(app)
    schedule.journal.clear()
    assert await app.dispatcher.claim(await app.only_message()) is not None
    assert schedule.journal == [("moved", "sending")]
    assert schedule.entries == {message_id: MORNING + LEASE}
    assert await app.queries.due(MORNING + LEASE / 2, 10) == []  # a send in flight is not re-read


async def test_a_delivered_message_loses_its_entry_only_after_the_delivery_is_written():
    app, schedule = journaled()
    await register(app)
    schedule.journal.clear()
    assert await app.dispatcher.dispatch_due() == 1
    assert schedule.journal[-1] == ("removed", "delivered")
    assert schedule.entries == {}


async def test_a_retry_has_its_entry_moved_earlier_before_the_retry_is_written():
    app, schedule = journaled()
    message_id = await register(app)
    app.channels[Channel.WHATSAPP].fail_next(unavailable())
    schedule.journal.clear()
    await app.dispatcher.dispatch_due()
    retry = await app.only_message()
    assert retry.state is State.RETRYING
    assert schedule.journal == [("moved", "sending"), ("earlier", "sending"), ("moved", "retrying")]
    assert schedule.entries == {message_id: retry.due_at}
    assert retry.due_at == MORNING + timedelta(seconds=30)


async def test_a_fallback_to_the_next_channel_is_due_at_once_and_sent():
    app, schedule = journaled()
    await register(app)
    app.channels[Channel.WHATSAPP].fail_next(refused())
    await app.dispatcher.dispatch_due()
    assert (await app.only_message()).state is State.SCHEDULED
    assert await app.dispatcher.dispatch_due() == 1
    assert len(app.channels[Channel.SMS].sent) == 1
    assert schedule.entries == {}


async def test_a_message_held_by_quiet_hours_keeps_an_entry_at_seven():
    night = MORNING.astimezone(JAKARTA).replace(hour=22).astimezone(MORNING.tzinfo)
    app, schedule = journaled(night)
    message_id = await register(app)
    seven = (night.astimezone(JAKARTA) + timedelta(days=1)).replace(hour=7)
    assert schedule.entries == {message_id: seven}
    assert await app.dispatcher.dispatch_due() == 0


async def test_a_cancelled_message_loses_its_entry_after_it_is_cancelled():
    app, schedule = journaled(MORNING.astimezone(JAKARTA).replace(hour=22))
    await register(app)
    schedule.journal.clear()
    erased = UmkmErased(umkm_id=UMKM_ID)
    await app.handle(envelope(erased), erased)
    assert (await app.only_message()).state is State.CANCELLED
    assert schedule.journal == [("removed", "cancelled")]
    assert schedule.entries == {}


async def test_a_resent_message_has_its_entry_back_before_it_waits_again():
    app, schedule = journaled()
    message_id = await register(app)
    for channel in (Channel.WHATSAPP, Channel.SMS, Channel.EMAIL):
        app.channels[channel].fail_next(refused())
    for _ in range(4):  # each channel refuses, then none is left
        await app.dispatcher.dispatch_due()
    assert (await app.only_message()).state is State.FAILED
    assert schedule.entries == {}
    schedule.journal.clear()
    await app.operations.resend(message_id, OFFICER)
    assert schedule.journal[0] == ("earlier", "failed")
    assert schedule.entries == {message_id: MORNING}
    assert await app.dispatcher.dispatch_due() == 1


async def test_an_entry_whose_message_was_never_written_is_removed_by_the_due_query():
    app, schedule = journaled()
    await schedule.not_later_than("crashed-before-its-write", MORNING)
    assert await app.queries.due(MORNING, 10) == []
    assert schedule.entries == {}


async def test_an_early_entry_is_moved_to_the_message_time_by_the_due_query():
    app, schedule = journaled(MORNING.astimezone(JAKARTA).replace(hour=22))
    message_id = await register(app)
    await schedule.not_later_than(message_id, MORNING)  # a crash after an early entry
    assert await app.queries.due(app.clock.now(), 10) == []
    assert schedule.entries[message_id] == (await app.only_message()).due_at


async def test_a_message_written_without_an_entry_is_sent_after_the_start_up_sweep():
    app, schedule = journaled()
    await register(app)
    schedule.entries.clear()  # as if the process died between the two writes the other way
    assert await app.dispatcher.dispatch_due() == 0
    assert await app.queries.restore_schedule() == 1
    assert await app.dispatcher.dispatch_due() == 1
    assert await app.queries.restore_schedule() == 0


async def test_an_entry_removed_on_a_stale_read_is_put_back_for_a_message_due_again():
    app, schedule = journaled()
    message_id = await register(app)
    stale = await app.only_message()
    stale.state = State.FAILED  # what a slow reader saw before an officer resent it
    await follow(schedule, message_id, stale, app.messages.get)
    assert schedule.entries == {message_id: MORNING}
    assert await app.dispatcher.dispatch_due() == 1
