"""Read-side queries over the stored registration records (collection `enterprises`).

Writes go only through the aggregate store (`plut_shared.messaging`); this
module answers the questions use cases and officers ask across records: who
holds this identity key, which names are registered in a village, whose
events still wait in the outbox, and the paged search. Look-ups by an
identity key or by `_id` use a unique index on every store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from plut_shared.messaging.outbox import OUTBOX_PENDING
from pymongo.asynchronous.database import AsyncDatabase

from registration.adapters.keys import KEY_FIELD, identity_keys
from registration.adapters.records import ENTERPRISES, EnterpriseMapper
from registration.domain.record import EnterpriseRecord

FIELD_OF_INDEX = {f"{key_field}_1": name for name, key_field in KEY_FIELD.items()}
_LOOKUP_CHUNK = 500


class DuplicateIdentity(Exception):
    """Another enterprise holds this NIK, NIB or phone; the message names no value.

    `centre_id` is the holder's centre: callers outside it must not be told the id.
    """

    def __init__(
        self, field: str, existing_umkm_id: str | None, centre_id: str | None = None
    ) -> None:
        super().__init__(f"{field} already registered as {existing_umkm_id}")
        self.field = field
        self.existing_umkm_id = existing_umkm_id
        self.centre_id = centre_id


@dataclass(frozen=True)
class SearchFilter:
    centre_ids: frozenset[str] | None  # None: every centre
    sector: str | None = None
    scale_class: str | None = None
    name: str | None = None


class EnterpriseDirectory:
    def __init__(self, db: AsyncDatabase) -> None:
        self._collection = db[ENTERPRISES]
        self._mapper = EnterpriseMapper()

    async def create_indexes(self) -> None:
        for key_field in KEY_FIELD.values():
            await self._collection.create_index(key_field, unique=True)
        for name in ("village_key", "centre_id", "scale_class"):
            await self._collection.create_index(name)

    async def duplicate(self, index: str, record: EnterpriseRecord) -> DuplicateIdentity:
        """Which identity of `record` another enterprise holds, given the refusing index."""
        keys = identity_keys(record.enterprise)
        names = [FIELD_OF_INDEX[index]] if index in FIELD_OF_INDEX else list(KEY_FIELD)
        for name in names:
            key_field = KEY_FIELD[name]
            found = await self._collection.find_one(
                {key_field: keys[key_field]}, {"_id": 1, "centre_id": 1}
            )
            if found is not None and found["_id"] != record.umkm_id:
                return DuplicateIdentity(name, found["_id"], found["centre_id"])
        return DuplicateIdentity("identity", None)  # the other write was undone meanwhile

    async def names_in_villages(
        self, village_keys: list[str], centre_id: str
    ) -> dict[str, list[tuple[str, str]]]:
        """village key -> [(umkm_id, business name)] of the centre's enterprises there.

        One centre's only: the ids go to its officers, who must not learn another's.
        """
        names: dict[str, list[tuple[str, str]]] = {}
        for start in range(0, len(village_keys), _LOOKUP_CHUNK):
            chunk = village_keys[start : start + _LOOKUP_CHUNK]
            query = {"village_key": {"$in": chunk}, "centre_id": centre_id}
            projection = {"village_key": 1, "business.name": 1}
            async for doc in self._collection.find(query, projection):
                entry = (doc["_id"], doc["business"]["name"])
                names.setdefault(doc["village_key"], []).append(entry)
        return names

    async def unpublished(self, umkm_ids: list[str]) -> set[str]:
        """Which of these enterprises still hold events in their outbox."""
        waiting: set[str] = set()
        for start in range(0, len(umkm_ids), _LOOKUP_CHUNK):
            query = {"_id": {"$in": umkm_ids[start : start + _LOOKUP_CHUNK]}}
            async for doc in self._collection.find(query, {OUTBOX_PENDING: 1}):
                if doc.get(OUTBOX_PENDING):
                    waiting.add(doc["_id"])
        return waiting

    async def search(
        self, where: SearchFilter, *, limit: int, offset: int
    ) -> tuple[list[EnterpriseRecord], int]:
        query = _query(where)
        total = await self._collection.count_documents(query)
        # UUIDv7 ids sort by registration time, so pages are stable as records arrive.
        cursor = self._collection.find(query).sort("_id", 1).skip(offset).limit(limit)
        return [self._mapper.from_document(doc) async for doc in cursor], total


def _query(where: SearchFilter) -> dict[str, Any]:
    query: dict[str, Any] = {"erased": False}
    if where.centre_ids is not None:
        query["centre_id"] = {"$in": sorted(where.centre_ids)}
    if where.sector:
        query["business.sector"] = {"$regex": f"^{re.escape(where.sector)}$", "$options": "i"}
    if where.scale_class:
        query["scale_class"] = where.scale_class
    if where.name:
        query["business.name"] = {"$regex": re.escape(where.name), "$options": "i"}
    return query
