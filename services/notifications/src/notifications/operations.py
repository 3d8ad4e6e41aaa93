"""What officers do over HTTP: read an owner's delivery log, resend, set channel opt-outs.

Plain use cases on the aggregate stores, taking the acting `Actor`. Another
centre's enterprise or message raises `NotFound`, exactly like an unknown id
(why: `plut_shared.auth.ensure_centre`). Domain refusals
(`ResendRefused`, `ContactErased`) pass through; the routes answer 409.
"""

from __future__ import annotations

from collections.abc import Callable

from plut_shared.contracts.registration import Channel
from plut_shared.messaging import Aggregates, Cause
from plut_shared.routes import Actor
from plut_shared.tracing import current_carrier

from notifications.adapters.message_queries import MessageQueries
from notifications.domain.clock import Clock
from notifications.domain.contacts import Contact
from notifications.domain.message import Message


class NotFound(Exception):
    """Unknown id, or one of a centre the caller may not see (same answer)."""


class Operations:
    def __init__(
        self,
        contacts: Aggregates[Contact],
        messages: Aggregates[Message],
        queries: MessageQueries,
        clock: Clock,
        wake: Callable[[], None],
    ) -> None:
        self._contacts = contacts
        self._messages = messages
        self._queries = queries
        self._clock = clock
        self._wake = wake

    async def delivery_log(self, umkm_id: str, actor: Actor) -> list[Message]:
        """An owner's messages, oldest first (also after erasure: they hold no personal data)."""
        messages = await self._queries.history_of(umkm_id)
        contact = await self._contacts.get(umkm_id)
        centre = contact.centre_id if contact else (messages[0].centre_id if messages else None)
        if centre is None or not actor.can_access(centre):
            raise NotFound(umkm_id)
        return messages

    async def resend(self, message_id: str, actor: Actor) -> Message:
        """Try a failed message again, on every channel."""
        message = await self._messages.get(message_id)
        if message is None or not actor.can_access(message.centre_id):
            raise NotFound(message_id)
        now, trace_context = self._clock.now(), current_carrier() or None

        def resend(current: Message) -> Message:
            current.resend(now, trace_context)
            return current

        resent = await self._messages.change(message_id, resend, Cause(actor.correlation_id))
        if resent is None:
            raise NotFound(message_id)
        self._wake()
        return resent

    async def preferences(self, umkm_id: str, actor: Actor) -> Contact:
        contact = await self._contacts.get(umkm_id)
        if contact is None or not actor.can_access(contact.centre_id):
            raise NotFound(umkm_id)
        return contact

    async def set_opt_out(self, umkm_id: str, channel: Channel, out: bool, actor: Actor) -> Contact:
        """Opt the owner out of `channel` (or back in); refused for an erased owner."""
        await self.preferences(umkm_id, actor)

        def choose(contact: Contact) -> Contact:
            if out:
                contact.opt_out(channel)
            else:
                contact.opt_in(channel)
            return contact

        changed = await self._contacts.change(umkm_id, choose, Cause(actor.correlation_id))
        if changed is None:
            raise NotFound(umkm_id)
        return changed
