"""Enterprises in MongoDB/FerretDB: one document per enterprise, written only through
the kernel's `AggregateWriter`, so state and its outbox events land in one write
and no write bypasses the per-document lock FerretDB needs (see plut_shared.messaging.locks).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from plut_shared.contracts import Envelope
from plut_shared.messaging import AggregateWriter
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

from registration.adapters.keys import KEY_FIELD, identity_keys, place_keys
from registration.domain.enterprise import Enterprise
from registration.domain.snapshot import from_document, to_document

ENTERPRISES = "enterprises"
REVIEW = "possible_duplicates"
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
class Holder:
    """The enterprise that holds an identity key, and its centre."""

    umkm_id: str
    centre_id: str


@dataclass
class Stored:
    enterprise: Enterprise
    possible_duplicates: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SearchFilter:
    centre_ids: frozenset[str] | None  # None: every centre
    sector: str | None = None
    scale_class: str | None = None
    name: str | None = None


def _document(enterprise: Enterprise) -> dict[str, Any]:
    return to_document(enterprise) | identity_keys(enterprise) | place_keys(enterprise)


def _stored(doc: dict[str, Any]) -> Stored:
    return Stored(from_document(doc), list(doc.get(REVIEW) or []))


class EnterpriseRepository:
    def __init__(self, db: AsyncDatabase, writer: AggregateWriter) -> None:
        self._collection = db[ENTERPRISES]
        self._writer = writer

    async def create_indexes(self) -> None:
        for key_field in KEY_FIELD.values():
            await self._collection.create_index(key_field, unique=True)
        for name in ("village_key", "centre_id", "scale_class"):
            await self._collection.create_index(name)

    async def get(self, umkm_id: str) -> Stored | None:
        doc = await self._collection.find_one({"_id": umkm_id})
        return None if doc is None else _stored(doc)

    async def add(
        self, enterprise: Enterprise, events: Sequence[Envelope], possible_duplicates: list[str]
    ) -> None:
        doc = {"_id": enterprise.umkm_id, **_document(enterprise), REVIEW: possible_duplicates}
        try:
            await self._writer.insert(self._collection, doc, events)
        except OperationFailure as error:
            if not _is_duplicate_key(error):
                raise
            raise await self._duplicate_of(doc) from None

    async def save(
        self, enterprise: Enterprise, expected_version: int, events: Sequence[Envelope]
    ) -> None:
        """Raises `ConcurrentUpdate` if someone else saved since `expected_version`."""
        doc = _document(enterprise)
        try:
            await self._writer.update(
                self._collection, enterprise.umkm_id, expected_version, {"$set": doc}, events
            )
        except OperationFailure as error:
            if not _is_duplicate_key(error):
                raise
            raise await self._duplicate_of(doc, enterprise.umkm_id) from None

    async def _duplicate_of(self, doc: dict[str, Any], own_id: str | None = None) -> Exception:
        # FerretDB does not say which index refused the write: ask each key.
        for name, key_field in KEY_FIELD.items():
            found = await self._collection.find_one(
                {key_field: doc[key_field], "_id": {"$ne": own_id}}, {"_id": 1, "centre_id": 1}
            )
            if found is not None:
                return DuplicateIdentity(name, found["_id"], found["centre_id"])
        return DuplicateIdentity("identity", None)  # the other write was undone meanwhile

    async def holders(self, keys: dict[str, list[str]]) -> dict[tuple[str, str], Holder]:
        """(key field, digest) -> its holder, for every given digest already stored."""
        wanted = {(key_field, digest) for key_field, digests in keys.items() for digest in digests}
        if len(wanted) <= _LOOKUP_CHUNK:
            query: dict[str, Any] = {"$or": [{k: {"$in": d}} for k, d in keys.items() if d]}
        else:
            # FerretDB 1.x scans the whole collection for each `$in` query, so
            # for a big file one streamed pass over the keys beats many queries.
            query = {}
        found: dict[tuple[str, str], Holder] = {}
        if query == {"$or": []}:
            return found
        async for doc in self._collection.find(query, {**dict.fromkeys(keys, 1), "centre_id": 1}):
            for key_field in keys:
                if (key_field, doc[key_field]) in wanted:
                    found[(key_field, doc[key_field])] = Holder(doc["_id"], doc["centre_id"])
        return found

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

    async def search(
        self, where: SearchFilter, *, limit: int, offset: int
    ) -> tuple[list[Stored], int]:
        query = _query(where)
        total = await self._collection.count_documents(query)
        # UUIDv7 ids sort by registration time, so pages are stable as records arrive.
        cursor = self._collection.find(query).sort("_id", 1).skip(offset).limit(limit)
        return [_stored(doc) async for doc in cursor], total


def _is_duplicate_key(error: OperationFailure) -> bool:
    # FerretDB 1.x reports a unique violation on update as an InternalError
    # carrying SQLite's message, not as code 11000 as MongoDB does.
    return error.code in (11000, 11001) or "UNIQUE constraint failed" in str(error)


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
