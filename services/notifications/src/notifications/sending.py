"""Sending one claimed message: pick the channel, render, hand over, record the outcome.

The message is rendered from the contact book at send time, so an address
changed since scheduling is used, an opt-out is honoured, and an erased owner
gets nothing. Recipient addresses and texts are never logged or stored.
Every outcome is one change of the `Message` aggregate, written only while the
message is still `sending` (erasure may have scrubbed it meanwhile: the
outcome is applied on top of that).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TypeVar

from plut_shared.contracts.registration import Channel
from plut_shared.messaging import Aggregates, Cause

from notifications.adapters.delivery import (
    ChannelAdapter,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from notifications.dispatch_metrics import DispatchMetrics
from notifications.domain.channels import channel_order
from notifications.domain.clock import Clock
from notifications.domain.contacts import Contact
from notifications.domain.delivery import DeliveryRetryPolicy, next_channel
from notifications.domain.message import Message
from notifications.domain.payloads import typed
from notifications.domain.quiet_hours import next_send_time
from notifications.domain.rendering import RenderedMessage, RenderingError, message_context, render

log = logging.getLogger(__name__)

R = TypeVar("R")


def idempotency_key(message: Message, channel: Channel) -> str:
    """What the provider drops a repeat by: one per message and channel."""
    return f"{message.message_id}:{channel}"


class Sender:
    def __init__(
        self,
        messages: Aggregates[Message],
        contacts: Aggregates[Contact],
        channels: Mapping[Channel, ChannelAdapter],
        clock: Clock,
        policy: DeliveryRetryPolicy,
        metrics: DispatchMetrics | None = None,
    ) -> None:
        self._metrics = metrics or DispatchMetrics()
        self._messages = messages
        self._contacts = contacts
        self._channels = channels
        self._clock = clock
        self._policy = policy

    async def send(self, message: Message) -> None:
        """Send a message this process has claimed, or settle why it cannot go now."""
        contact = await self._contacts.get(message.umkm_id)
        now = self._clock.now()
        if contact is None:
            await self._record(message, lambda m: m.no_contact_yet(now, self._policy))
            return
        if contact.is_erased:
            await self._record(message, lambda m: m.owner_erased(now))
            return
        usable = [c for c in channel_order(contact) if c in self._channels]
        channel = next_channel(usable, message.exhausted_channels)
        if channel is None:
            await self._record(message, lambda m: m.no_channel_left(now))
            return
        when = next_send_time(now, channel, message.urgent)
        if when > now:
            await self._record(message, lambda m: m.defer(when))
            return
        await self._deliver(message, contact, channel)

    async def _deliver(self, message: Message, contact: Contact, channel: Channel) -> None:
        address = contact.address(channel)
        assert address is not None  # channel_order only offers channels with an address
        name = str(channel)  # what the message records: a plain string
        try:
            rendered = self._render(message, contact)
            receipt = await self._channels[channel].send(
                address, rendered, idempotency_key=idempotency_key(message, channel)
            )
        except TransientDeliveryError as error:
            self._metrics.attempted(name, "transient_failure")
            await self._transient(message, name, str(error), error.retry_after)
        except (PermanentDeliveryError, RenderingError) as error:
            log.warning("channel gave up on message", extra={"channel": name})
            self._metrics.attempted(name, "permanent_failure")
            now = self._clock.now()
            reason = str(error)
            await self._record(message, lambda m: m.give_up_channel(name, reason, now))
        else:
            self._metrics.attempted(name, "delivered")
            now = self._clock.now()
            provider_id = receipt.provider_message_id
            await self._record(message, lambda m: m.delivered(name, provider_id, now))

    def _render(self, message: Message, contact: Contact) -> RenderedMessage:
        fields = typed(message.event_type, message.payload or {}, message.schema_version)
        return render(message.template, str(contact.language), message_context(fields, contact))

    async def _transient(
        self, message: Message, channel: str, error: str, retry_after: float | None
    ) -> None:
        now = self._clock.now()
        attempts = await self._record(
            message,
            lambda m: m.failed_transiently(channel, error, now, self._policy, retry_after),
        )
        log.info("delivery failed, attempt %s", attempts, extra={"channel": channel})

    async def _record(self, message: Message, outcome: Callable[[Message], R]) -> R | None:
        def if_still_sending(current: Message) -> tuple[R, str] | None:
            return (outcome(current), str(current.state)) if current.is_sending else None

        cause = Cause(message.correlation_id, message.causation_event_id)
        recorded = await self._messages.change(message.message_id, if_still_sending, cause)
        if recorded is None:
            return None
        result, state = recorded
        self._metrics.entered(state)
        return result
