"""The dispatcher: sends due messages, one claim at a time, and records each outcome.

A `BackgroundLoop` started with the service. It wakes when a message is
scheduled (`wake`) and otherwise polls, so deferred messages (quiet hours,
reminders, retries) go out when due without a timer per message. Sends run
as tasks of their own: a slow provider holds up only its own messages.

Exactly once per (event, owner, channel): the message id is deterministic
(a redelivered event finds it already scheduled), a message is claimed
(`sending`, with a lease) by a compare-and-swap write before it is sent, so
of two replicas that see it due only one takes it, and the idempotency key
given to the provider is `<message id>:<channel>`. If the process dies after
the provider accepted a message but before the outcome was written, the lease
runs out and the message is sent again with the same key: the WhatsApp/SMS
provider drops the repeat. (An SMTP server has no such key; the stable
Message-ID lets mail systems spot the duplicate.)
"""

from __future__ import annotations

import asyncio
import functools
import logging
from datetime import timedelta

from plut_shared.background import BackgroundLoop
from plut_shared.logs import log_context
from plut_shared.messaging import Aggregates, Cause
from plut_shared.tracing import continued

from notifications.adapters.message_queries import MessageQueries
from notifications.dispatch_metrics import DispatchMetrics
from notifications.domain.clock import Clock
from notifications.domain.message import Message
from notifications.sending import Sender

log = logging.getLogger(__name__)


class Dispatcher:
    def __init__(
        self,
        messages: Aggregates[Message],
        queries: MessageQueries,
        sender: Sender,
        clock: Clock,
        *,
        poll_interval: float,
        concurrency: int = 10,
        lease: timedelta = timedelta(minutes=2),
        shutdown_grace: float = 10.0,
        metrics: DispatchMetrics | None = None,
    ) -> None:
        self._metrics = metrics or DispatchMetrics()
        self._messages = messages
        self._queries = queries
        self._sender = sender
        self._clock = clock
        self._concurrency = concurrency
        self._lease = lease
        self._shutdown_grace = shutdown_grace
        self._loop = BackgroundLoop(
            "dispatcher", self._round, interval=poll_interval, retry_pause=poll_interval
        )
        # Sends in flight, by message id.
        self._in_flight: dict[str, asyncio.Task[None]] = {}
        self._metrics.count_in_flight(lambda: len(self._in_flight))
        self._schedule_restored = False

    def wake(self) -> None:
        self._loop.wake()

    async def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()
        sends = list(self._in_flight.values())
        if sends:
            # Let sends finish; one cut short stays `sending` and is retaken after
            # its lease with the same idempotency key.
            _, unfinished = await asyncio.wait(sends, timeout=self._shutdown_grace)
            for send in unfinished:
                send.cancel()
            await asyncio.gather(*unfinished, return_exceptions=True)

    async def dispatch_due(self) -> int:
        """One round, waiting for its sends; returns how many due messages it took up."""
        sends = self._launch(await self._due())
        await asyncio.gather(*sends)
        return len(sends)

    async def _round(self) -> None:
        # A store that is away makes the round fail: the loop logs it and tries
        # again; the messages stay due.
        if not self._schedule_restored:  # once per start: what a crash left unscheduled
            await self._queries.restore_schedule()
            self._schedule_restored = True
        self._launch(await self._due())

    async def _due(self) -> list[Message]:
        room = self._concurrency - len(self._in_flight)
        if room <= 0:
            return []
        due = await self._queries.due(self._clock.now(), room + len(self._in_flight))
        return [message for message in due if message.message_id not in self._in_flight][:room]

    def _launch(self, messages: list[Message]) -> list[asyncio.Task[None]]:
        sends = []
        for message in messages:
            send = asyncio.create_task(self._guarded(message))
            self._in_flight[message.message_id] = send
            send.add_done_callback(functools.partial(self._finished, message.message_id))
            sends.append(send)
        return sends

    def _finished(self, message_id: str, _: asyncio.Task[None]) -> None:
        self._in_flight.pop(message_id, None)
        self._loop.wake()  # room for the next due message

    async def _guarded(self, message: Message) -> None:
        with (
            log_context(message_id=message.message_id, correlation_id=message.correlation_id),
            continued(f"send {message.template}", message.trace_context, attributes=_ids(message)),
        ):
            try:
                claimed = await self.claim(message)
                if claimed is not None:
                    await self._sender.send(claimed)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("message dispatch failed; it stays due")

    async def claim(self, message: Message) -> Message | None:
        """Take `message` for one send; None when it is not due any more or another has it."""
        now = self._clock.now()
        lease_until = now + self._lease

        def take(current: Message) -> Message | None:
            return current if current.claim(now, lease_until) else None

        cause = Cause(message.correlation_id, message.causation_event_id)
        claimed = await self._messages.change(message.message_id, take, cause)
        if claimed is not None:
            self._metrics.entered("sending")
        return claimed


def _ids(message: Message) -> dict[str, str]:
    """What a send span says about its message: ids and the centre, no personal data."""
    return {
        "plut.message_id": message.message_id,
        "plut.template": message.template,
        "plut.centre_id": message.centre_id,
        "plut.umkm_id": message.umkm_id,
        "plut.causation_event_id": message.causation_event_id,
    }
