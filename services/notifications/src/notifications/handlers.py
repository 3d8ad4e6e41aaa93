"""Event handlers: keep the contact book, schedule messages. They never send.

Each handler is idempotent on its own: contact book writes go through
`apply_once`, and a message `_id` is derived from (event id, template), so a
redelivered event finds its messages already scheduled. Sending is the
dispatcher's job; a handler only wakes it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from plut_shared.contracts import Envelope
from plut_shared.contracts.registration import (
    UmkmConsentChanged,
    UmkmErased,
    UmkmProfileUpdated,
    UmkmRegistered,
)
from plut_shared.messaging import Handler

from notifications.adapters import transitions as t
from notifications.adapters.contact_book import ContactBook
from notifications.adapters.messages import MessageStore
from notifications.domain.channels import channel_order
from notifications.domain.clock import Clock
from notifications.domain.contacts import Contact
from notifications.domain.delivery import CancelReason
from notifications.domain.payloads import storable
from notifications.domain.quiet_hours import next_send_time
from notifications.domain.rules import (
    CANCELS_PENDING,
    Rule,
    as_fields,
    due_at,
    event_types,
    message_id,
    rules_for,
)

log = logging.getLogger(__name__)

REGISTERED = "registration.umkm.registered"
PROFILE_UPDATED = "registration.umkm.profile_updated"
CONSENT_CHANGED = "registration.umkm.consent_changed"
ERASED = "registration.umkm.erased"


class NotificationHandlers:
    def __init__(
        self,
        contacts: ContactBook,
        messages: MessageStore,
        clock: Clock,
        wake: Callable[[], None],
    ) -> None:
        self._contacts = contacts
        self._messages = messages
        self._clock = clock
        self._wake = wake

    def routes(self) -> dict[str, Handler]:
        routes: dict[str, Handler] = {event_type: self.schedule for event_type in event_types()}
        routes.update(
            {
                REGISTERED: self.on_registered,
                PROFILE_UPDATED: self.on_profile_updated,
                CONSENT_CHANGED: self.on_consent_changed,
                ERASED: self.on_erased,
            }
        )
        return routes

    async def on_registered(self, envelope: Envelope, payload: UmkmRegistered) -> None:
        contact = Contact.from_registered(payload, envelope.centre_id)
        consents = payload.consents.model_dump()
        await self._contacts.register(contact, consents, envelope.event_id)
        await self.schedule(envelope, payload)

    async def on_profile_updated(self, envelope: Envelope, payload: UmkmProfileUpdated) -> None:
        await self._contacts.change(
            payload.umkm_id,
            lambda contact: contact.with_changes(payload.changed),
            envelope.event_id,
        )

    async def on_consent_changed(self, envelope: Envelope, payload: UmkmConsentChanged) -> None:
        consents = payload.consents.model_dump()
        await self._contacts.set_consents(payload.umkm_id, consents, envelope.event_id)

    async def on_erased(self, envelope: Envelope, payload: UmkmErased) -> None:
        # Contact first: from here on the dispatcher has nowhere to send to.
        await self._contacts.erase(payload.umkm_id, envelope.centre_id, envelope.event_id)
        now = self._clock.now()
        for document_id in await self._messages.ids_for_enterprise(payload.umkm_id):
            await self._messages.modify(
                document_id,
                lambda doc: None if "erased_at" in doc else t.scrubbed(doc, now),
            )
        log.info("owner erased from the contact book and message history")

    async def schedule(self, envelope: Envelope, payload: Any) -> None:
        fields = as_fields(payload)
        umkm_id = fields.get("umkm_id")
        if not umkm_id:
            return
        contact = await self._contacts.get(str(umkm_id))
        if contact is not None and contact.is_erased:
            return  # a late event about an erased owner: nobody to tell
        await self._cancel_made_pointless(envelope.event_type, str(umkm_id), fields)
        scheduled = 0
        for rule in rules_for(envelope.event_type, payload):
            scheduled += await self._schedule_one(envelope, payload, rule, contact)
        if scheduled:
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
        document = t.new_message(
            message_id=message_id(envelope.event_id, rule.template),
            envelope=envelope,
            template=rule.template,
            urgent=rule.urgent,
            payload=storable(payload),
            language=str(contact.language) if contact is not None else "id",
            channels=[str(channel) for channel in channels],
            due_at=due,
            now=now,
        )
        return int(await self._messages.schedule(document))

    async def _cancel_made_pointless(self, event_type: str, umkm_id: str, fields: Any) -> None:
        templates = CANCELS_PENDING.get(event_type)
        if not templates:
            return
        now = self._clock.now()
        session = fields.get("session_id")
        for document_id in await self._messages.pending(
            umkm_id, sorted(templates), session_id=session
        ):
            await self._messages.modify(
                document_id,
                lambda doc: (
                    t.cancelled(CancelReason.SUPERSEDED, now)
                    if doc["state"] in ("scheduled", "retrying")
                    else None
                ),
            )
