"""The service's own copy of how to reach an enterprise owner.

Notifications never reads the registration database (one database per
service, see the README's Architecture); it keeps this copy from
`registration.umkm.*` events and purges it on erasure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from plut_shared.contracts.registration import Channel, Language, UmkmRegistered
from plut_shared.contracts.text import is_blank


class ContactErased(Exception):
    """The owner's data was erased: there is nobody to set preferences for."""


@dataclass
class Contact:
    """Contact details and preferences of one enterprise owner (an aggregate).

    Personal fields are left out of repr so a contact that slips into a log
    line leaks nothing. An erased contact is a tombstone: it keeps no personal
    data and nothing brings that data back.
    """

    umkm_id: str
    centre_id: str
    preferred_channel: Channel = Channel.WHATSAPP
    language: Language = Language.ID
    owner_name: str = field(default="", repr=False)
    business_name: str = field(default="", repr=False)
    phone: str | None = field(default=None, repr=False)
    email: str | None = field(default=None, repr=False)
    opted_out: frozenset[Channel] = frozenset()
    is_erased: bool = False

    @classmethod
    def from_registered(cls, payload: UmkmRegistered, centre_id: str) -> Contact:
        contact = cls(payload.umkm_id, centre_id)
        contact.register(payload)
        return contact

    @classmethod
    def tombstone(cls, umkm_id: str, centre_id: str) -> Contact:
        """An owner erased before we heard of them: later events about them are dropped."""
        contact = cls(umkm_id, centre_id)
        contact.erase()
        return contact

    def register(self, payload: UmkmRegistered) -> None:
        """Take the details a registration gives; an erased owner stays erased."""
        if self.is_erased:
            return
        self.preferred_channel = Channel(payload.preferred_channel)
        self.language = Language(payload.language)
        self.owner_name, self.business_name = payload.owner_name, payload.business_name
        self.phone, self.email = payload.phone, payload.email

    def update_profile(self, changed: Mapping[str, Any]) -> None:
        """Apply a `profile_updated` event's changed fields; other fields are not ours.

        An erased contact stays erased: a late or redelivered update must not
        bring personal data back. A bad value changes nothing.
        """
        if self.is_erased:
            return
        updates = {
            key: _convert(key, parse, value)
            for key, value in changed.items()
            if (parse := _UPDATABLE.get(key)) is not None
        }
        for key, value in updates.items():
            setattr(self, key, value)

    def opt_out(self, channel: Channel) -> None:
        self._require_not_erased()
        self.opted_out = self.opted_out | {Channel(channel)}

    def opt_in(self, channel: Channel) -> None:
        self._require_not_erased()
        self.opted_out = self.opted_out - {Channel(channel)}

    def address(self, channel: Channel) -> str | None:
        """Where a message on `channel` goes, or None when there is nowhere to send it."""
        if self.is_erased:
            return None
        return self.email if Channel(channel) is Channel.EMAIL else self.phone

    def erase(self) -> None:
        """Purge personal data; what is left is kept so later events for this owner are dropped."""
        self.owner_name = self.business_name = ""
        self.phone = self.email = None
        self.opted_out = frozenset(Channel)
        self.is_erased = True

    def template_fields(self) -> dict[str, str]:
        """Fields templates may use beside the event payload."""
        return {"owner_name": self.owner_name, "business_name": self.business_name}

    def _require_not_erased(self) -> None:
        if self.is_erased:
            raise ContactErased("the owner's data was erased")


def _optional_text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _required_text(value: Any) -> str:
    if value is None or is_blank(str(value)):
        raise ValueError("must not be empty")
    return str(value)


_UPDATABLE: dict[str, Callable[[Any], Any]] = {
    "owner_name": _required_text,
    "business_name": _required_text,
    "phone": _optional_text,
    "email": _optional_text,
    "preferred_channel": Channel,
    "language": Language,
}


def _convert(key: str, parse: Callable[[Any], Any], value: Any) -> Any:
    try:
        return parse(value)
    except ValueError:
        # Name the field, never the value: it may be a phone number or an email.
        raise ValueError(f"invalid value for contact field {key!r}") from None
