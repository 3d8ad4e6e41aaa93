"""Benchmark: the dispatcher's due query and the welcome settle rate, against messages already sent.

    uv run python -m bench.notifications_dispatch --sent 5000 20000 --welcomes 300

For each count it fills a fresh database with that many delivered messages
(the history every centre builds up), then prints the time of one due query
(median of 30, nothing due), of the dispatcher's start-up sweep (once per
start, a scan), and the welcome settle rate: `--welcomes` registrations
handled as the consumer does (contact kept, welcome scheduled, 20 at once)
while the started dispatcher sends them to an in-process channel that answers
at once and records each delivery; welcomes per second from the first event
to the last delivery written, and the CPU each welcome cost this process (the
service's side) and the store (when it runs on this machine: found by its port).
Only the store takes part (no broker, no relay).
The store comes from PLUT_MONGO_URL or the local one; the database is dropped
afterwards. Figures are printed, never asserted; the load average with them,
as the machine may be shared.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from notifications.adapters.contact_book import CONTACTS, ContactMapper
from notifications.adapters.delivery import ProviderReceipt
from notifications.adapters.dispatch_schedule import DISPATCH_SCHEDULE, StoredDispatchSchedule
from notifications.adapters.message_queries import StoredMessageQueries
from notifications.adapters.messages import MESSAGES, MessageMapper
from notifications.adapters.owner_messages import (
    OWNER_MESSAGES,
    OWNER_MESSAGES_SWEEP,
    StoredOwnerMessages,
)
from notifications.adapters.scheduled_messages import ScheduledMessages
from notifications.dispatcher import Dispatcher
from notifications.domain.clock import JAKARTA
from notifications.domain.contacts import Contact
from notifications.domain.delivery import DeliveryRetryPolicy
from notifications.domain.message import Message
from notifications.domain.rendering import RenderedMessage
from notifications.domain.rules import rules_for
from notifications.handlers import NotificationHandlers
from notifications.sending import Sender
from plut_shared.contracts import make_envelope
from plut_shared.contracts.registration import Channel
from plut_shared.messaging import AggregateStore, Cause
from pymongo.asynchronous.database import AsyncDatabase

from bench.fresh_store import each_in_a_fresh_database
from tests.unit.notifications.examples import registered

MONGO_URL = os.environ.get("PLUT_MONGO_URL", "mongodb://127.0.0.1:27017/")
POLICY = DeliveryRetryPolicy(5, timedelta(seconds=30), timedelta(hours=1))
EVENTS_AT_ONCE = 20
CAUSE = Cause("bench-dispatch")


class Daytime:
    """Real time flowing from 10:00 WIB, so quiet hours never hold a welcome back."""

    def __init__(self) -> None:
        self._start = datetime(2026, 11, 10, 10, 0, tzinfo=JAKARTA).astimezone(UTC)
        self._origin = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._origin)


class SweepTimed(StoredMessageQueries):
    """Says when the dispatcher's start-up sweep is over, and how long it took."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.swept = asyncio.Event()
        self.sweep_s = 0.0

    async def restore_schedule(self) -> int:
        started = time.perf_counter()
        restored = await super().restore_schedule()
        self.sweep_s = time.perf_counter() - started
        self.swept.set()
        return restored


class CpuSeconds(NamedTuple):
    """User + system CPU seconds of this process and of the store's process."""

    python: float
    store: float

    @classmethod
    def now(cls) -> CpuSeconds:
        own = os.times()
        return cls(own.user + own.system, store_cpu_seconds())

    def __sub__(self, earlier: CpuSeconds) -> CpuSeconds:
        return CpuSeconds(self.python - earlier.python, self.store - earlier.store)


def store_cpu_seconds() -> float:
    port = urlsplit(MONGO_URL).port or 27017
    found = subprocess.run(
        ["pgrep", "-f", f"StoreServer [^ ]+ {port} "], capture_output=True, text=True, check=False
    ).stdout.split()
    total = 0.0
    for pid in found:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


class InstantChannel:
    """A provider that accepts every message at once; says when it has had `expected`."""

    def __init__(self, expected: int) -> None:
        self.sent = 0
        self.expected = expected
        self.all_sent = asyncio.Event()

    async def send(
        self, to: str, message: RenderedMessage, *, idempotency_key: str
    ) -> ProviderReceipt:
        self.sent += 1
        if self.sent >= self.expected:
            self.all_sent.set()
        return ProviderReceipt("whatsapp", idempotency_key)


def delivered_welcome(number: int, clock: Daytime) -> Message:
    payload = registered(umkm_id=f"history-{number:06d}")
    event = make_envelope(
        payload, producer="registration", centre_id="c", subject_id="s", correlation_id="b"
    )
    [rule] = rules_for(event.event_type, payload)
    now = clock.now()
    message = Message.schedule(
        event, rule, payload.model_dump(mode="json"), language="id",
        channels=["whatsapp"], due_at=now, now=now,
    )  # fmt: skip
    message.claim(now, now + timedelta(minutes=2))
    message.delivered("whatsapp", "provider-id", now)
    message.pull_events()  # published long ago: the outbox is empty
    return message


async def fill_history(store: AggregateStore[Message], count: int, clock: Daytime) -> None:
    for start in range(0, count, 200):
        batch = [delivered_welcome(n, clock) for n in range(start, min(start + 200, count))]
        await asyncio.gather(*(store.add(message, CAUSE) for message in batch))


class NotificationStores(NamedTuple):
    """The notifications service's stores on one database, wired as its bootstrap does."""

    raw: AggregateStore[Message]
    contacts: AggregateStore[Contact]
    schedule: StoredDispatchSchedule
    owners: StoredOwnerMessages
    messages: ScheduledMessages

    @classmethod
    def on(cls, db: AsyncDatabase) -> NotificationStores:
        raw = AggregateStore(db[MESSAGES], MessageMapper(), producer="notifications")
        contacts = AggregateStore(db[CONTACTS], ContactMapper(), producer="notifications")
        schedule = StoredDispatchSchedule(db[DISPATCH_SCHEDULE])
        owners = StoredOwnerMessages(db[OWNER_MESSAGES], db[OWNER_MESSAGES_SWEEP])
        return cls(raw, contacts, schedule, owners, ScheduledMessages(raw, schedule, owners))


async def measure(db: AsyncDatabase, sent: int, welcomes: int) -> str:
    clock = Daytime()
    raw, contacts, schedule, owners, messages = NotificationStores.on(db)
    queries = SweepTimed(raw, schedule, owners)
    for store in (raw, contacts, queries):
        await store.create_indexes()
    await fill_history(raw, sent, clock)
    durations = []
    for _ in range(30):
        started = time.perf_counter()
        await queries.due(clock.now(), 10)
        durations.append(time.perf_counter() - started)
    channel = InstantChannel(welcomes)
    channels = {Channel.WHATSAPP: channel, Channel.SMS: channel, Channel.EMAIL: channel}
    sender = Sender(messages, contacts, channels, clock, POLICY)
    dispatcher = Dispatcher(messages, queries, sender, clock, poll_interval=5.0)
    handlers = NotificationHandlers(contacts, messages, queries, clock, dispatcher.wake)
    await dispatcher.start()
    await queries.swept.wait()
    cpu = CpuSeconds.now()
    rate = await settle_rate(handlers, dispatcher, channel, welcomes)
    python_s, store_s = CpuSeconds.now() - cpu
    return (
        f"due query {statistics.median(durations) * 1000:5.1f} ms (median of 30), "
        f"start-up sweep {queries.sweep_s * 1000:5.0f} ms, "
        f"{welcomes} welcomes settle at {rate:5.1f}/s, CPU per welcome: "
        f"python {python_s / welcomes * 1000:.1f} ms + store {store_s / welcomes * 1000:.1f} ms"
    )


async def settle_rate(
    handlers: NotificationHandlers, dispatcher: Dispatcher, channel: InstantChannel, count: int
) -> float:
    gate = asyncio.Semaphore(EVENTS_AT_ONCE)

    async def register(number: int) -> None:
        payload = registered(umkm_id=f"welcome-{number:06d}")
        event = make_envelope(
            payload, producer="registration", centre_id="c", subject_id="s", correlation_id="b"
        )
        async with gate:
            await handlers.on_registered(event, payload)

    started = time.perf_counter()
    await asyncio.gather(*(register(n) for n in range(count)))
    await channel.all_sent.wait()
    await dispatcher.stop()  # waits for the last deliveries to be written
    return count / (time.perf_counter() - started)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sent", type=int, nargs="+", default=[5_000, 20_000])
    parser.add_argument("--welcomes", type=int, default=300)
    args = parser.parse_args()
    await each_in_a_fresh_database(
        MONGO_URL,
        "bench_dispatch",
        args.sent,
        "sent",
        lambda db, size: measure(db, size, args.welcomes),
    )


if __name__ == "__main__":
    asyncio.run(main())
