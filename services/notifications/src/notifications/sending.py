"""Sending one claimed message: pick the channel, render, hand over, record the outcome.

The message is rendered from the contact book at send time, so an address
changed since scheduling is used, an opt-out is honoured, and an erased owner
gets nothing. Recipient addresses and texts are never logged or stored.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from plut_shared.contracts.registration import Channel

from notifications.adapters import transitions as t
from notifications.adapters.contact_book import ContactBook
from notifications.adapters.delivery import (
    ChannelAdapter,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from notifications.adapters.messages import Document, MessageStore
from notifications.domain.channels import channel_order
from notifications.domain.clock import Clock
from notifications.domain.contacts import Contact
from notifications.domain.delivery import (
    CancelReason,
    GiveUpChannel,
    RetryPolicy,
    State,
    after_transient_failure,
    next_channel,
)
from notifications.domain.payloads import typed
from notifications.domain.quiet_hours import next_send_time
from notifications.domain.rendering import RenderedMessage, RenderingError, message_context, render

log = logging.getLogger(__name__)

NO_CONTACT = "contact"  # attempts counter key while the owner's details have not arrived


class Sender:
    def __init__(
        self,
        messages: MessageStore,
        contacts: ContactBook,
        channels: Mapping[Channel, ChannelAdapter],
        clock: Clock,
        policy: RetryPolicy,
    ) -> None:
        self._messages = messages
        self._contacts = contacts
        self._channels = channels
        self._clock = clock
        self._policy = policy

    async def send(self, message: Document) -> None:
        contact = await self._contacts.get(message["umkm_id"])
        now = self._clock.now()
        if contact is None:
            await self._wait_for_contact(message)
            return
        if contact.is_erased:
            await self._record(message, t.cancelled(CancelReason.ERASED, now))
            return
        usable = [c for c in channel_order(contact) if c in self._channels]
        channel = next_channel(usable, message.get("exhausted_channels", []))
        if channel is None:
            await self._no_channel_left(message)
            return
        when = next_send_time(now, channel, message["urgent"])
        if when > now:
            await self._record(message, t.deferred(when))
            return
        await self._deliver(message, contact, channel)

    async def _deliver(self, message: Document, contact: Contact, channel: Channel) -> None:
        address = contact.address(channel)
        assert address is not None  # channel_order only offers channels with an address
        try:
            rendered = self._render(message, contact)
            receipt = await self._channels[channel].send(
                address, rendered, idempotency_key=f"{message['_id']}:{channel}"
            )
        except TransientDeliveryError as error:
            await self._transient(message, channel, str(error), error.retry_after)
        except (PermanentDeliveryError, RenderingError) as error:
            log.warning("channel gave up on message", extra={"channel": str(channel)})
            change = t.channel_given_up(message, channel, str(error), self._clock.now())
            await self._record(message, change)
        else:
            now = self._clock.now()
            change = t.delivered(message, channel, receipt.provider_message_id, now)
            await self._record(message, change)

    def _render(self, message: Document, contact: Contact) -> RenderedMessage:
        fields = typed(message["event_type"], message.get("payload", {}), message["schema_version"])
        return render(message["template"], str(contact.language), message_context(fields, contact))

    async def _transient(
        self, message: Document, channel: Channel, error: str, retry_after: float | None
    ) -> None:
        now = self._clock.now()
        attempts = message.get("attempts", {}).get(str(channel), 0) + 1
        decision = after_transient_failure(self._policy, attempts, now, retry_after)
        log.info("delivery failed, attempt %d", attempts, extra={"channel": str(channel)})
        if isinstance(decision, GiveUpChannel):
            await self._record(message, t.channel_given_up(message, channel, error, now))
            return
        at = next_send_time(decision.at, channel, message["urgent"])
        await self._record(message, t.retrying(message, channel, error, at, now))

    async def _wait_for_contact(self, message: Document) -> None:
        # Events about one owner come from several services; training's may
        # overtake registration's. Wait for the contact like for a provider outage.
        now = self._clock.now()
        error = "no contact details for this owner yet"
        attempts = message.get("attempts", {}).get(NO_CONTACT, 0) + 1
        decision = after_transient_failure(self._policy, attempts, now)
        if isinstance(decision, GiveUpChannel):
            change = t.failed(message, NO_CONTACT, error, now, extra_attempt=NO_CONTACT)
        else:
            change = t.retrying(message, NO_CONTACT, error, decision.at, now)
        await self._record(message, change)

    async def _no_channel_left(self, message: Document) -> None:
        now = self._clock.now()
        if not message.get("attempts"):
            await self._record(message, t.cancelled(CancelReason.NO_CHANNEL, now))
            return
        error = message.get("last_error") or "no usable channel left"
        last = message.get("channel") or NO_CONTACT
        await self._record(message, t.failed(message, last, error, now))

    async def _record(self, message: Document, change: t.Change) -> None:
        def still_ours(current: Document) -> t.Change | None:
            # Erasure may have scrubbed it meanwhile (a version bump): apply on top.
            return change if current["state"] == str(State.SENDING) else None

        await self._messages.modify(message["_id"], still_ours)
