"""Event handlers: keep the contact book, schedule messages. They never send.

Each handler is idempotent on its own: contact book changes are applied once
per event (`apply_event` records the event id in the same write), and a
message id is derived from (event id, template), so a redelivered event finds
its messages already scheduled. Sending is the dispatcher's job; a handler
only wakes it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from plut_shared.contracts import Envelope
from plut_shared.contracts.registration import UmkmErased, UmkmProfileUpdated, UmkmRegistered
from plut_shared.messaging import AggregateExists, Aggregates, Cause, Handler, InvalidMessage
from plut_shared.tracing import current_carrier

from notifications.adapters.message_queries import MessageQueries
from notifications.dispatch_metrics import DispatchMetrics
from notifications.domain.channels import channel_order
from notifications.domain.clock import Clock
from notifications.domain.contacts import Contact
from notifications.domain.delivery import CancelReason
from notifications.domain.message import Message
from notifications.domain.payloads import storable
from notifications.domain.quiet_hours import next_send_time
from notifications.domain.rules import (
    CANCELS_WAITING,
    Rule,
    as_fields,
    due_at,
    event_types,
    rules_for,
)

log = logging.getLogger(__name__)

REGISTERED = "registration.umkm.registered"
PROFILE_UPDATED = "registration.umkm.profile_updated"
ERASED = "registration.umkm.erased"


class NotificationHandlers:
    def __init__(
        self,
        contacts: Aggregates[Contact],
        messages: Aggregates[Message],
        queries: MessageQueries,
        clock: Clock,
        wake: Callable[[], None],
        metrics: DispatchMetrics | None = None,
    ) -> None:
        self._metrics = metrics or DispatchMetrics()
        self._contacts = contacts
        self._messages = messages
        self._queries = queries
        self._clock = clock
        self._wake = wake

    def routes(self) -> dict[str, Handler]:
        """Handler per event type; other events on the queue (consents, say) are not ours."""
        routes: dict[str, Handler] = {event_type: self.schedule for event_type in event_types()}
        routes.update(
            {
                REGISTERED: self.on_registered,
                PROFILE_UPDATED: self.on_profile_updated,
                ERASED: self.on_erased,
            }
        )
        return routes

    async def on_registered(self, envelope: Envelope, payload: UmkmRegistered) -> None:
        await self._contacts.apply_event(
            payload.umkm_id,
            envelope,
            lambda contact: contact.register(payload),
            create=lambda: Contact.from_registered(payload, envelope.centre_id),
        )
        await self.schedule(envelope, payload)

    async def on_profile_updated(self, envelope: Envelope, payload: UmkmProfileUpdated) -> None:
        try:
            await self._contacts.apply_event(
                payload.umkm_id, envelope, lambda contact: contact.update_profile(payload.changed)
            )
        except ValueError as error:  # names the field, never the value
            raise InvalidMessage(str(error)) from None

    async def on_erased(self, envelope: Envelope, payload: UmkmErased) -> None:
        # Contact first: from here on the dispatcher has nowhere to send to.
        await self._contacts.apply_event(
            payload.umkm_id,
            envelope,
            lambda contact: contact.erase(),
            create=lambda: Contact.tombstone(payload.umkm_id, envelope.centre_id),
        )
        now, cause = self._clock.now(), Cause.of(envelope)
        for message_id in await self._queries.ids_of_owner(payload.umkm_id):
            await self._messages.change(message_id, lambda m: m.scrub(now), cause)
        log.info("owner erased from the contact book and message history")

    async def schedule(self, envelope: Envelope, payload: Any) -> None:
        fields = as_fields(payload)
        umkm_id = fields.get("umkm_id")
        if not umkm_id:
            return
        contact = await self._contacts.get(str(umkm_id))
        if contact is not None and contact.is_erased:
            return  # a late event about an erased owner: nobody to tell
        await self._cancel_made_pointless(envelope, str(umkm_id), fields)
        scheduled = 0
        for rule in rules_for(envelope.event_type, payload):
            scheduled += await self._schedule_one(envelope, payload, rule, contact)
        if scheduled:
            self._metrics.entered("scheduled", scheduled)
            self._wake()

    async def _schedule_one(
        self, envelope: Envelope, payload: Any, rule: Rule, contact: Contact | None
    ) -> int:
        now = self._clock.now()
        due = due_at(rule, payload, now)
        if due is None:
            return 0
        channels = channel_order(contact) if contact is not None else []
        if channels:
            due = next_send_time(due, channels[0], rule.urgent)
        message = Message.schedule(
            envelope,
            rule,
            storable(payload),
            language=str(contact.language) if contact is not None else "id",
            channels=[str(channel) for channel in channels],
            due_at=due,
            now=now,
            trace_context=current_carrier() or None,  # the consumer span of this event
        )
        try:
            await self._messages.add(message, Cause.of(envelope))
        except AggregateExists:
            return 0  # a redelivered event: scheduled the first time
        return 1

    async def _cancel_made_pointless(self, envelope: Envelope, umkm_id: str, fields: Any) -> None:
        supersedes = CANCELS_WAITING.get(envelope.event_type)
        if supersedes is None or fields.get(supersedes.about) is None:
            return
        now, cause = self._clock.now(), Cause.of(envelope)
        about = (supersedes.about, fields[supersedes.about])
        waiting = await self._queries.waiting(umkm_id, sorted(supersedes.templates), about=about)
        for message_id in waiting:
            if await self._messages.change(
                message_id, lambda m: m.cancel(CancelReason.SUPERSEDED, now), cause
            ):
                self._metrics.entered("cancelled")
