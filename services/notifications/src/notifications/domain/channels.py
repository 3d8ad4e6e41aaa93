"""Which channels to try, in order, for one owner."""

from __future__ import annotations

from plut_shared.contracts.registration import Channel

from notifications.domain.contacts import Contact

# WhatsApp is what owners read; SMS reaches basic phones; email is the last resort.
FALLBACK_ORDER: tuple[Channel, ...] = (Channel.WHATSAPP, Channel.SMS, Channel.EMAIL)


def available_channels(contact: Contact) -> list[Channel]:
    """Channels the owner has an address for and has not opted out of, in fallback order."""
    return [
        channel
        for channel in FALLBACK_ORDER
        if channel not in contact.opted_out and contact.address(channel)
    ]


def channel_order(contact: Contact) -> list[Channel]:
    """The owner's preferred channel first (when usable), then the others in fallback order."""
    available = available_channels(contact)
    preferred = Channel(contact.preferred_channel)
    if preferred in available:
        available.remove(preferred)
        available.insert(0, preferred)
    return available
