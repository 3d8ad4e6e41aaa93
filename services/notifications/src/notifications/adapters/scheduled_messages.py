"""Messages saved with their dispatch schedule entry kept in step, by write order alone.

Every use case writes messages through `ScheduledMessages`, the aggregate store
that lists a new message among its owner's (`adapters.owner_messages`) before
its first write, and keeps its schedule entry by these rules around each write
(two documents, no transaction):

- before a write that makes a message due sooner than its entry may say
  (scheduled, retried, fallen back, resent), the entry is made or moved
  earlier; a crash after it leaves an early entry, which costs one look;
- after the write the entry follows the message: moved to when it is next
  due (the lease end while it is being sent), removed once it has ended;
- whoever moves an entry later or removes it reads the message again and
  moves the entry back if the message became due sooner meanwhile, so a
  writer's entry is never lost to a slower one (no need once the message was
  delivered or cancelled, which never waits again, nor right after a claim:
  until its lease ends only the claimer changes it, and it sends after this).

So an entry can be early or left over, and late only for the moment of a
race, but a waiting message is not left without one; the dispatcher's
start-up sweep (`MessageQueries.restore_schedule`) heals what a crash in the
middle of a race could leave. `due_from_schedule` is the dispatcher's due
query on top.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from plut_shared.contracts import Envelope
from plut_shared.messaging import Aggregates, Cause

from notifications.adapters.dispatch_schedule import DispatchSchedule, stored_precision
from notifications.adapters.owner_messages import OwnerMessages
from notifications.domain.message import Message

R = TypeVar("R")

ReadOne = Callable[[str], Awaitable[Message | None]]
ReadMany = Callable[[list[str]], Awaitable[dict[str, Message]]]


async def follow(
    schedule: DispatchSchedule,
    message_id: str,
    message: Message | None,
    read: ReadOne,
    *,
    held: bool = False,
) -> None:
    """Move the entry to when `message` is next due, or remove it; then make sure of it.

    `held`: the caller has just claimed the message, so until its lease ends only
    the caller changes it, and it sends only after this.
    """
    wanted = None if message is None else message.next_due_at
    if wanted is None:
        later = await schedule.remove(message_id)
    else:
        later = await schedule.move(message_id, wanted)
    if not later or held or (message is not None and message.ended_for_good):
        return
    # Another writer may have made the message due sooner after `message` was read.
    current = await read(message_id)
    again = None if current is None else current.next_due_at
    if again is not None and (wanted is None or stored_precision(again) < stored_precision(wanted)):
        await schedule.not_later_than(message_id, again)


async def due_from_schedule(
    schedule: DispatchSchedule, read_many: ReadMany, read_one: ReadOne, now: datetime, limit: int
) -> list[Message]:
    """Due messages, earliest first: due entries, then those messages by id.

    An entry whose message is not due after all (early, or left by a crash) is
    moved to the message's time or removed on the way.
    """
    message_ids = await schedule.due(now, limit)
    found = await read_many(message_ids) if message_ids else {}
    due = []
    for message_id in message_ids:
        message = found.get(message_id)
        if message is not None and message.is_due(now):
            due.append(message)
        else:
            await follow(schedule, message_id, message, read_one)
    return due


class ScheduledMessages:
    """`Aggregates[Message]` that lists each message and keeps its schedule entry (rules above)."""

    def __init__(
        self, messages: Aggregates[Message], schedule: DispatchSchedule, owners: OwnerMessages
    ) -> None:
        self._messages = messages
        self._schedule = schedule
        self._owners = owners

    async def get(self, aggregate_id: str) -> Message | None:
        return await self._messages.get(aggregate_id)

    async def add(self, aggregate: Message, cause: Cause) -> list[Envelope]:
        # Listed first: an erasure or a cancellation finds every stored message.
        await self._owners.add(aggregate.umkm_id, aggregate.message_id)
        await self._before(None, aggregate)
        envelopes = await self._messages.add(aggregate, cause)
        await self._after(aggregate)
        return envelopes

    async def change(
        self, aggregate_id: str, change: Callable[[Message], R], cause: Cause
    ) -> R | None:
        result, _ = await self.change_with_events(aggregate_id, change, cause)
        return result

    async def change_with_events(
        self, aggregate_id: str, change: Callable[[Message], R], cause: Cause
    ) -> tuple[R | None, list[Envelope]]:
        before = await self._messages.get(aggregate_id)
        if before is None:
            return None, []
        await self._before(before, _changed_copy(before, change))
        written: list[tuple[Message, bool]] = []
        outcome = await self._messages.change_with_events(
            aggregate_id, _recording(change, written), cause
        )
        if written:
            await self._after(*written[-1])
        return outcome

    async def apply_event(
        self,
        aggregate_id: str,
        envelope: Envelope,
        change: Callable[[Message], object],
        *,
        create: Callable[[], Message] | None = None,
    ) -> bool:
        before = await self._messages.get(aggregate_id)
        start = before if before is not None else (create() if create is not None else None)
        if start is None:
            return False
        await self._before(before, _changed_copy(start, change))
        written: list[tuple[Message, bool]] = []
        applied = await self._messages.apply_event(
            aggregate_id, envelope, _recording(change, written), create=create
        )
        if written:
            await self._after(*written[-1])
        return applied

    async def _before(self, before: Message | None, after: Message) -> None:
        due_at = after.next_due_at
        if due_at is None:
            return
        known = None if before is None else before.next_due_at
        if known is not None and known <= due_at:
            return  # its entry is no later than `known` already
        await self._schedule.not_later_than(after.message_id, due_at)

    async def _after(self, message: Message, claimed: bool = False) -> None:
        read = self._messages.get
        await follow(self._schedule, message.message_id, message, read, held=claimed)


def _changed_copy(message: Message, change: Callable[[Message], object]) -> Message:
    """What `change` will make of the message (it has no effects outside it, by contract)."""
    probe = copy.deepcopy(message)
    change(probe)
    return probe


def _recording(
    change: Callable[[Message], R], written: list[tuple[Message, bool]]
) -> Callable[[Message], R]:
    """`change`, noting what it made of the message and whether that was a claim.

    The last note is what was saved (or found unchanged): a claim changes the
    state, so a claim noted last was saved by this writer.
    """

    def recorded(message: Message) -> R:
        was_sending = message.is_sending
        result = change(message)
        written.append((message, message.is_sending and not was_sending))
        return result

    return recorded
