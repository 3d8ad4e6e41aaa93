"""The service's own copy of how to reach an enterprise owner.

Notifications never reads the registration database (DESIGN.md section 2); it
keeps this copy from `registration.umkm.*` events and purges it on erasure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from plut_shared.contracts.registration import Channel, Language, UmkmRegistered
from plut_shared.contracts.text import is_blank


@dataclass(frozen=True)
class Contact:
    """Contact details and preferences of one enterprise owner.

    Personal fields are left out of repr so a contact that slips into a log
    line leaks nothing.
    """

    umkm_id: str
    centre_id: str
    preferred_channel: Channel
    language: Language = Language.ID
    owner_name: str = field(default="", repr=False)
    business_name: str = field(default="", repr=False)
    phone: str | None = field(default=None, repr=False)
    email: str | None = field(default=None, repr=False)
    opted_out: frozenset[Channel] = frozenset()
    is_erased: bool = False

    @classmethod
    def from_registered(cls, payload: UmkmRegistered, centre_id: str) -> Contact:
        return cls(
            umkm_id=payload.umkm_id,
            centre_id=centre_id,
            preferred_channel=Channel(payload.preferred_channel),
            language=Language(payload.language),
            owner_name=payload.owner_name,
            business_name=payload.business_name,
            phone=payload.phone,
            email=payload.email,
        )

    def with_changes(self, changed: Mapping[str, Any]) -> Contact:
        """Apply a `profile_updated` event's changed fields; other fields are not ours.

        An erased contact stays erased: a late or redelivered update must not
        bring personal data back.
        """
        if self.is_erased:
            return self
        updates = {
            key: _convert(key, parse, value)
            for key, value in changed.items()
            if (parse := _UPDATABLE.get(key)) is not None
        }
        return replace(self, **updates)

    def opt_out(self, channel: Channel) -> Contact:
        return replace(self, opted_out=self.opted_out | {Channel(channel)})

    def opt_in(self, channel: Channel) -> Contact:
        return replace(self, opted_out=self.opted_out - {Channel(channel)})

    def address(self, channel: Channel) -> str | None:
        """Where a message on `channel` goes, or None when there is nowhere to send it."""
        if self.is_erased:
            return None
        return self.email if Channel(channel) is Channel.EMAIL else self.phone

    def erased(self) -> Contact:
        """A copy without personal data, kept so later events for this owner are dropped."""
        return Contact(
            umkm_id=self.umkm_id,
            centre_id=self.centre_id,
            preferred_channel=self.preferred_channel,
            language=self.language,
            opted_out=frozenset(Channel),
            is_erased=True,
        )

    def template_fields(self) -> dict[str, str]:
        """Fields templates may use beside the event payload."""
        return {"owner_name": self.owner_name, "business_name": self.business_name}


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
