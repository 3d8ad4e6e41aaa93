"""The notifications use cases wired to in-memory stores, fake channels and a fixed clock.

No broker, no store: the aggregate stores are the kernel's in-memory fake
(same contract as the real one), the queries read them, and each channel is a
`FakeChannel` a test can make fail or hold.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from notifications.adapters.contact_book import ContactMapper
from notifications.adapters.delivery import (
    PermanentDeliveryError,
    ProviderReceipt,
    TransientDeliveryError,
)
from notifications.adapters.dispatch_schedule import InMemoryDispatchSchedule
from notifications.adapters.message_queries import InMemoryMessageQueries
from notifications.adapters.messages import MessageMapper
from notifications.adapters.owner_messages import InMemoryOwnerMessages
from notifications.adapters.scheduled_messages import ScheduledMessages
from notifications.dispatcher import Dispatcher
from notifications.domain.clock import JAKARTA, FixedClock
from notifications.domain.contacts import Contact
from notifications.domain.delivery import DeliveryRetryPolicy
from notifications.domain.message import Message
from notifications.domain.rendering import RenderedMessage
from notifications.handlers import NotificationHandlers
from notifications.operations import Operations
from notifications.sending import Sender
from plut_shared.auth import Role
from plut_shared.contracts import Envelope, make_envelope
from plut_shared.contracts.registration import Channel
from plut_shared.messaging import InMemoryAggregateStore
from plut_shared.routes import Actor
from pydantic import BaseModel

from tests.unit.notifications.examples import CENTRE

# Tuesday 10 November 2026, 10.00 WIB: daytime, so phones may ring.
MORNING = datetime(2026, 11, 10, 10, 0, tzinfo=JAKARTA).astimezone(UTC)
LEASE = timedelta(minutes=2)
POLICY = DeliveryRetryPolicy(
    max_attempts=3, backoff_base=timedelta(seconds=30), backoff_max=timedelta(minutes=10)
)
OFFICER = Actor("officer-1", Role.OFFICER, frozenset({CENTRE}), "corr-officer")
OTHER_OFFICER = Actor("officer-2", Role.OFFICER, frozenset({"batu"}), "corr-other")


@dataclass
class Sent:
    to: str
    message: RenderedMessage
    idempotency_key: str


@dataclass
class FakeChannel:
    """A channel that records what it was given; `fail_next` and `hold` script its answers."""

    channel: str
    sent: list[Sent] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)
    gate: asyncio.Event | None = None
    calls: int = 0

    def fail_next(self, error: Exception, times: int = 1) -> None:
        self.failures.extend([error] * times)

    def hold(self) -> asyncio.Event:
        """Sends wait until the returned event is set (a slow provider)."""
        self.gate = asyncio.Event()
        return self.gate

    async def send(
        self, to: str, message: RenderedMessage, *, idempotency_key: str
    ) -> ProviderReceipt:
        self.calls += 1
        if self.gate is not None:
            await self.gate.wait()
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(Sent(to, message, idempotency_key))
        return ProviderReceipt(self.channel, f"{self.channel}-{len(self.sent)}")


def transient(reason: str = "provider answered 503") -> TransientDeliveryError:
    return TransientDeliveryError(reason)


def permanent(reason: str = "provider refused the message (400)") -> PermanentDeliveryError:
    return PermanentDeliveryError(reason)


@dataclass
class Notifications:
    clock: FixedClock
    contacts: InMemoryAggregateStore[Contact]
    messages: InMemoryAggregateStore[Message]
    schedule: InMemoryDispatchSchedule
    owners: InMemoryOwnerMessages
    scheduled: ScheduledMessages  # `messages` with the schedule kept: what use cases write through
    queries: InMemoryMessageQueries
    channels: dict[Channel, FakeChannel]
    sender: Sender
    handlers: NotificationHandlers
    dispatcher: Dispatcher
    operations: Operations
    wakes: list[int]  # one entry per time the dispatcher was woken

    async def handle(self, envelope: Envelope, payload: BaseModel) -> None:
        """Deliver an event the way the consumer does: through the handler for its type."""
        await self.handlers.routes()[envelope.event_type](envelope, payload)

    async def all_messages(self) -> list[Message]:
        found = [await self.messages.get(message_id) for message_id in self.messages.documents]
        return [message for message in found if message is not None]

    async def only_message(self) -> Message:
        [message] = await self.all_messages()
        return message

    async def message(self, template: str) -> Message:
        [message] = [m for m in await self.all_messages() if m.template == template]
        return message

    def all_sent(self) -> list[tuple[str, Sent]]:
        return [(name, sent) for name, channel in self.channels.items() for sent in channel.sent]


def notifications(
    now: datetime = MORNING,
    schedule: InMemoryDispatchSchedule | None = None,
    **dispatcher_options: Any,
) -> Notifications:
    clock = FixedClock(now)
    contacts = InMemoryAggregateStore(ContactMapper(), producer="notifications", name="contacts")
    messages = InMemoryAggregateStore(MessageMapper(), producer="notifications", name="messages")
    schedule = schedule if schedule is not None else InMemoryDispatchSchedule()
    owners = InMemoryOwnerMessages()
    scheduled = ScheduledMessages(messages, schedule, owners)
    queries = InMemoryMessageQueries(messages, schedule, owners)
    channels = {channel: FakeChannel(str(channel)) for channel in Channel}
    sender = Sender(scheduled, contacts, channels, clock, POLICY)
    options = {"poll_interval": 0.01, "lease": LEASE, **dispatcher_options}
    dispatcher = Dispatcher(scheduled, queries, sender, clock, **options)
    wakes: list[int] = []

    def wake() -> None:
        wakes.append(1)
        dispatcher.wake()

    handlers = NotificationHandlers(contacts, scheduled, queries, clock, wake)
    operations = Operations(contacts, scheduled, queries, clock, wake)
    return Notifications(
        clock,
        contacts,
        messages,
        schedule,
        owners,
        scheduled,
        queries,
        channels,
        sender,
        handlers,
        dispatcher,
        operations,
        wakes,
    )


def envelope(payload: BaseModel, producer: str = "registration") -> Envelope:
    subject = str(getattr(payload, "umkm_id", "subject"))
    return make_envelope(
        payload,
        producer=producer,
        centre_id=CENTRE,
        subject_id=subject,
        correlation_id=f"corr-{subject}",
    )
