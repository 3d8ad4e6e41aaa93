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
        batch: int = 50,
        concurrency: int = 10,
        lease: timedelta = timedelta(minutes=2),
    ) -> None:
        self._messages = messages
        self._clock = clock
        self._sender = Sender(messages, contacts, channels, clock, policy)
        self._poll_interval = poll_interval
        self._batch = batch
        self._slots = asyncio.Semaphore(concurrency)
        self._lease = lease
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

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

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._poll_interval)
            self._wake.clear()
            try:
                # A full batch means more may be due: go round again at once.
                while await self.dispatch_due() >= self._batch:
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:
                # Store unreachable or a bug: the messages stay due for the next round.
                log.warning("dispatch round failed", exc_info=True)

    async def dispatch_due(self) -> int:
        """One round: send every message that is due now; returns how many were taken."""
        due = await self._messages.due(self._clock.now(), self._batch)
        await asyncio.gather(*(self._guarded(document) for document in due))
        return len(due)

    async def _guarded(self, document: Document) -> None:
        async with self._slots:
            with log_context(message_id=document["_id"], correlation_id=document["correlation_id"]):
                try:
                    await self._take(document)
                except Exception:
                    log.exception("message dispatch failed; it stays due")

    async def _take(self, document: Document) -> None:
        claimed = await self._messages.claim(document, t.claimed(self._clock.now() + self._lease))
        if claimed is None:
            return  # another round or replica has it
        await self._sender.send(claimed)
