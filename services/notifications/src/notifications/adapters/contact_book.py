"""The contact book: the service's own copy of how to reach each owner (collection `contacts`).

One document per enterprise (`_id` = umkm_id). Every write holds the document's
lock (FerretDB 1.x loses concurrent updates of one document, see
`plut_shared.messaging.locks`) and event-driven writes go through `apply_once`,
so a redelivered event changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from plut_shared.contracts.registration import Channel, Language
from plut_shared.messaging import DocumentLocks, apply_once
from pymongo.asynchronous.collection import AsyncCollection

from notifications.domain.contacts import Contact

_PERSONAL = ("owner_name", "business_name", "phone", "email")


def to_document(contact: Contact) -> dict[str, Any]:
    return {
        "centre_id": contact.centre_id,
        "preferred_channel": str(contact.preferred_channel),
        "language": str(contact.language),
        "owner_name": contact.owner_name,
        "business_name": contact.business_name,
        "phone": contact.phone,
        "email": contact.email,
        "opted_out": sorted(str(channel) for channel in contact.opted_out),
        "is_erased": contact.is_erased,
    }


def from_document(document: Mapping[str, Any]) -> Contact:
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


class ContactBook:
    def __init__(self, collection: AsyncCollection, locks: DocumentLocks) -> None:
        self._collection = collection
        self._locks = locks

    async def get(self, umkm_id: str) -> Contact | None:
        document = await self._collection.find_one({"_id": umkm_id})
        return None if document is None else from_document(document)

    async def consents(self, umkm_id: str) -> dict[str, bool]:
        document = await self._collection.find_one({"_id": umkm_id}) or {}
        return dict(document.get("consents", {}))

    async def register(self, contact: Contact, consents: dict[str, bool], event_id: str) -> bool:
        """Create (or refresh) the contact; never resurrects an erased one."""
        update = {"$set": {**to_document(contact), "consents": consents}}
        async with self._locks.hold(self._collection.name, contact.umkm_id):
            # An erased tombstone does not match, the upsert's insert collides
            # with it, and apply_once reports "nothing done".
            return await apply_once(
                self._collection,
                {"_id": contact.umkm_id, "is_erased": {"$ne": True}},
                update,
                event_id,
                upsert=True,
            )

    async def change(
        self, umkm_id: str, change: Callable[[Contact], Contact], event_id: str | None = None
    ) -> Contact | None:
        """Read, change with a domain function, write back; None for an unknown owner."""
        async with self._locks.hold(self._collection.name, umkm_id):
            contact = await self.get(umkm_id)
            if contact is None:
                return None
            changed = change(contact)
            update = {"$set": to_document(changed)}
            if event_id is None:
                await self._collection.update_one({"_id": umkm_id}, update)
            else:
                await apply_once(self._collection, {"_id": umkm_id}, update, event_id)
            return changed

    async def set_consents(self, umkm_id: str, consents: dict[str, bool], event_id: str) -> None:
        async with self._locks.hold(self._collection.name, umkm_id):
            await apply_once(
                self._collection, {"_id": umkm_id}, {"$set": {"consents": consents}}, event_id
            )

    async def erase(self, umkm_id: str, centre_id: str, event_id: str) -> None:
        """Purge personal data; keep a tombstone so later events cannot bring it back."""
        async with self._locks.hold(self._collection.name, umkm_id):
            current = await self.get(umkm_id)
            base = current or Contact(umkm_id, centre_id, preferred_channel=Channel.WHATSAPP)
            tombstone = to_document(base.erased())
            for field in _PERSONAL:
                tombstone.pop(field)
            update = {
                "$set": tombstone,
                "$unset": {field: "" for field in (*_PERSONAL, "consents")},
            }
            await apply_once(self._collection, {"_id": umkm_id}, update, event_id, upsert=True)
