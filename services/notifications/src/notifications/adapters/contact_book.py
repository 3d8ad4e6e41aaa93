"""The contact book (collection `contacts`): one `Contact` per enterprise, `_id` = umkm_id.

Saved through the kernel's aggregate store like every aggregate; event-driven
changes use `apply_event`, so a redelivered event changes nothing. An erased
contact is stored as a tombstone without any personal field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from plut_shared.contracts import Payload
from plut_shared.contracts.registration import Channel, Language
from plut_shared.messaging import Mapper

from notifications.domain.contacts import Contact

CONTACTS = "contacts"

_PERSONAL = ("owner_name", "business_name", "phone", "email")


class ContactMapper(Mapper[Contact]):
    def id_of(self, aggregate: Contact) -> str:
        return aggregate.umkm_id

    def to_document(self, aggregate: Contact) -> dict[str, Any]:
        document: dict[str, Any] = {
            "centre_id": aggregate.centre_id,
            "preferred_channel": str(aggregate.preferred_channel),
            "language": str(aggregate.language),
            "opted_out": sorted(str(channel) for channel in aggregate.opted_out),
            "is_erased": aggregate.is_erased,
        }
        if not aggregate.is_erased:
            document.update({field: getattr(aggregate, field) for field in _PERSONAL})
        return document

    def from_document(self, document: Mapping[str, Any]) -> Contact:
        return Contact(
            umkm_id=document["_id"],
            centre_id=document["centre_id"],
            preferred_channel=Channel(document["preferred_channel"]),
            language=Language(document.get("language", "id")),
            owner_name=document.get("owner_name") or "",
            business_name=document.get("business_name") or "",
            phone=document.get("phone"),
            email=document.get("email"),
            opted_out=frozenset(Channel(channel) for channel in document.get("opted_out", [])),
            is_erased=bool(document.get("is_erased", False)),
        )

    def pull_events(self, aggregate: Contact) -> list[Payload]:
        return []  # the contact book is the service's private copy: it announces nothing
