"""Record of processing (UU 27/2022): who read or changed which enterprise, and when.

Append-only, and only ids: the actor's subject, the action, the enterprise id
and centre, the correlation id. No names, NIKs or phones, so the trail itself
need not be erased when an owner asks for erasure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from plut_shared.contracts import new_event_id
from pymongo.asynchronous.database import AsyncDatabase

AUDIT = "audit"


@dataclass(frozen=True)
class AuditEntry:
    actor: str
    role: str
    action: str
    umkm_id: str
    centre_id: str
    at: datetime
    correlation_id: str


class AuditTrail:
    def __init__(self, db: AsyncDatabase) -> None:
        self._collection = db[AUDIT]

    async def create_indexes(self) -> None:
        await self._collection.create_index("umkm_id")
        await self._collection.create_index("actor")

    async def record(self, entries: Sequence[AuditEntry]) -> None:
        if entries:
            await self._collection.insert_many([_document(entry) for entry in entries])

    async def entries(
        self,
        *,
        umkm_id: str | None,
        actor: str | None,
        centre_ids: frozenset[str] | None,
        limit: int,
    ) -> list[AuditEntry]:
        query: dict[str, Any] = {}
        if umkm_id:
            query["umkm_id"] = umkm_id
        if actor:
            query["actor"] = actor
        if centre_ids is not None:
            query["centre_id"] = {"$in": sorted(centre_ids)}
        # Ties within one instant (a page read at once) keep their insertion order.
        cursor = self._collection.find(query).sort([("at", 1), ("_id", 1)]).limit(limit)
        return [_entry(doc) async for doc in cursor]


def _document(entry: AuditEntry) -> dict[str, Any]:
    return {"_id": new_event_id(), **entry.__dict__}


def _entry(doc: dict[str, Any]) -> AuditEntry:
    return AuditEntry(**{name: doc[name] for name in AuditEntry.__dataclass_fields__})
