"""Read-only questions about many referrals: officers' lists, an enterprise's referrals,
and the ones whose partner's answer is overdue (the escalation sweep).

These may scan (indexed on MongoDB); every write still goes through the
aggregate store by id. `InMemoryReferralQueries` answers the same questions
over the in-memory aggregate store, for use-case tests without a store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from plut_shared.messaging import InMemoryAggregateStore
from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection

from financing.adapters.records import ReferralMapper
from financing.domain.referral import Referral
from financing.domain.status import OPEN, Status

OPEN_STATES = sorted(str(status) for status in OPEN)
# New referrals come last, so pages stay stable as they arrive. Referrals stored before
# `submitted_at` have none and come first, as they should: their UUIDv7 ids then sort
# them by creation time among themselves.
OLDEST_FIRST = [("submitted_at", ASCENDING), ("_id", ASCENDING)]


@dataclass(frozen=True)
class ReferralFilter:
    centre_ids: frozenset[str] | None  # None: every centre
    status: Status | None = None
    partner_id: str | None = None
    umkm_id: str | None = None

    def matches(self, referral: Referral) -> bool:
        return (
            (self.centre_ids is None or referral.centre_id in self.centre_ids)
            and (self.status is None or referral.status is self.status)
            and (self.partner_id is None or referral.partner_id == self.partner_id)
            and (self.umkm_id is None or referral.umkm_id == self.umkm_id)
        )


class ReferralQueries(Protocol):
    async def search(
        self, where: ReferralFilter, *, limit: int, offset: int
    ) -> tuple[list[Referral], int]: ...

    async def open_of(self, umkm_id: str) -> list[str]:
        """Ids of the enterprise's referrals that are still open."""
        ...

    async def ids_of(self, umkm_id: str) -> list[str]: ...

    async def overdue(self, now: datetime, limit: int) -> list[str]:
        """Ids of forwarded referrals whose answer was due before `now`."""
        ...


class StoredReferralQueries:
    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection
        self._mapper = ReferralMapper()

    async def create_indexes(self) -> None:
        # On MongoDB: an enterprise's referrals, a centre's lists (oldest first), the escalation.
        for keys in (
            ["umkm_id"],
            ["centre_id", "status"],
            ["centre_id", "submitted_at", "_id"],
            ["status", "answer_due_at"],
        ):
            await self._collection.create_index([(key, ASCENDING) for key in keys])

    async def search(
        self, where: ReferralFilter, *, limit: int, offset: int
    ) -> tuple[list[Referral], int]:
        query = _query(where)
        total = await self._collection.count_documents(query)
        cursor = self._collection.find(query).sort(OLDEST_FIRST).skip(offset).limit(limit)
        return [self._mapper.from_document(document) async for document in cursor], total

    async def open_of(self, umkm_id: str) -> list[str]:
        query = {"umkm_id": umkm_id, "status": {"$in": OPEN_STATES}}
        return [document["_id"] async for document in self._collection.find(query, {"_id": 1})]

    async def ids_of(self, umkm_id: str) -> list[str]:
        found = self._collection.find({"umkm_id": umkm_id}, {"_id": 1})
        return [document["_id"] async for document in found]

    async def overdue(self, now: datetime, limit: int) -> list[str]:
        query = {"status": str(Status.FORWARDED), "answer_due_at": {"$lte": now}}
        found = self._collection.find(query, {"_id": 1}).limit(limit)
        return [document["_id"] async for document in found]


def _query(where: ReferralFilter) -> dict[str, Any]:
    query: dict[str, Any] = {}
    if where.centre_ids is not None:
        query["centre_id"] = {"$in": sorted(where.centre_ids)}
    if where.status is not None:
        query["status"] = str(where.status)
    if where.partner_id is not None:
        query["partner_id"] = where.partner_id
    if where.umkm_id is not None:
        query["umkm_id"] = where.umkm_id
    return query


class InMemoryReferralQueries:
    def __init__(self, store: InMemoryAggregateStore[Referral]) -> None:
        self._store = store

    async def search(
        self, where: ReferralFilter, *, limit: int, offset: int
    ) -> tuple[list[Referral], int]:
        found = [referral for referral in await self._all() if where.matches(referral)]
        return found[offset : offset + limit], len(found)

    async def open_of(self, umkm_id: str) -> list[str]:
        return [
            r.referral_id for r in await self._all() if r.umkm_id == umkm_id and r.status in OPEN
        ]

    async def ids_of(self, umkm_id: str) -> list[str]:
        return [r.referral_id for r in await self._all() if r.umkm_id == umkm_id]

    async def overdue(self, now: datetime, limit: int) -> list[str]:
        return [
            r.referral_id
            for r in await self._all()
            if r.status is Status.FORWARDED
            and r.answer_due_at is not None
            and r.answer_due_at <= now
        ][:limit]

    async def _all(self) -> list[Referral]:
        found = [await self._store.get(key) for key in self._store.documents]
        return sorted((r for r in found if r is not None), key=_oldest_first)


def _oldest_first(referral: Referral) -> tuple[datetime, str]:
    return referral.submitted_at or datetime.min.replace(tzinfo=UTC), referral.referral_id
