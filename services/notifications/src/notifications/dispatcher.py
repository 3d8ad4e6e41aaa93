"""The dispatcher: sends due messages, one claim at a time, and records each outcome.

A background task started with the service. It wakes when a message is
scheduled (`wake`) and otherwise polls, so deferred messages (quiet hours,
reminders, retries) go out when due without a timer per message.

Exactly once per (event, owner, channel): the message `_id` is deterministic
(a redelivered event finds it already scheduled), a message is claimed
(`sending`, with a lease) by a versioned write before it is sent, and the
idempotency key given to the provider is `<message id>:<channel>`. If the
process dies after the provider accepted a message but before the outcome was
written, the lease runs out and the message is sent again with the same key:
the WhatsApp/SMS provider drops the repeat. (An SMTP server has no such key;
the stable Message-ID lets mail systems spot the duplicate.)
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Mapping
from datetime import timedelta

from plut_shared.contracts.registration import Channel
from plut_shared.logs import log_context

from notifications.adapters import transitions as t
from notifications.adapters.contact_book import ContactBook
from notifications.adapters.delivery import ChannelAdapter
from notifications.adapters.messages import Document, MessageStore
from notifications.domain.clock import Clock
from notifications.domain.delivery import RetryPolicy
from notifications.sending import Sender

log = logging.getLogger(__name__)


class Dispatcher:
    def __init__(
        self,
        messages: MessageStore,
        contacts: ContactBook,
        channels: Mapping[Channel, ChannelAdapter],
        clock: Clock,
        policy: RetryPolicy,
        *,
        poll_interval: float,
        concurrency: int = 10,
        lease: timedelta = timedelta(minutes=2),
        shutdown_grace: float = 10.0,
    ) -> None:
        self._messages = messages
        self._clock = clock
        self._sender = Sender(messages, contacts, channels, clock, policy)
        self._poll_interval = poll_interval
        self._concurrency = concurrency
        self._lease = lease
        self._shutdown_grace = shutdown_grace
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        # Sends in flight, by message id: a slow provider holds up only its own messages.
        self._in_flight: dict[str, asyncio.Task[None]] = {}

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="notifications-dispatcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        sends = list(self._in_flight.values())
        if sends:
            # Let sends finish; one cut short stays `sending` and is retaken after
            # its lease with the same idempotency key.
            _, unfinished = await asyncio.wait(sends, timeout=self._shutdown_grace)
            for send in unfinished:
                send.cancel()
            await asyncio.gather(*unfinished, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._poll_interval)
            self._wake.clear()
            try:
                self._launch(await self._due())
            except asyncio.CancelledError:
                raise
            except Exception:
                # Store unreachable or a bug: the messages stay due for the next round.
                log.warning("dispatch round failed", exc_info=True)

    async def dispatch_due(self) -> int:
        """One round, waiting for its sends; returns how many messages it took."""
        sends = self._launch(await self._due())
        await asyncio.gather(*sends)
        return len(sends)

    async def _due(self) -> list[Document]:
        room = self._concurrency - len(self._in_flight)
        if room <= 0:
            return []
        due = await self._messages.due(self._clock.now(), room + len(self._in_flight))
        return [doc for doc in due if doc["_id"] not in self._in_flight][:room]

    def _launch(self, documents: list[Document]) -> list[asyncio.Task[None]]:
        sends = []
        for document in documents:
            send = asyncio.create_task(self._guarded(document))
            self._in_flight[document["_id"]] = send
            send.add_done_callback(functools.partial(self._finished, document["_id"]))
            sends.append(send)
        return sends

    def _finished(self, message_id: str, _: asyncio.Task[None]) -> None:
        self._in_flight.pop(message_id, None)
        self._wake.set()  # room for the next due message

    async def _guarded(self, document: Document) -> None:
        with log_context(message_id=document["_id"], correlation_id=document["correlation_id"]):
            try:
                await self._take(document)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("message dispatch failed; it stays due")

    async def _take(self, document: Document) -> None:
        claimed = await self._messages.claim(document, t.claimed(self._clock.now() + self._lease))
        if claimed is None:
            return  # another replica has it
        await self._sender.send(claimed)
