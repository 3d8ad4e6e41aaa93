"""Which imports are being run right now, and until when their runner vouches for them.

A running import's runner renews its lease every few seconds; a lease that
expired means the process running the import is gone (killed, crashed, its
machine lost), so any replica may mark the import failed. The collection
holds only the imports in progress, so finding the expired ones reads a few
documents, however many imports were ever made.
"""

from __future__ import annotations

from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase

IMPORT_LEASES = "import_leases"


class ImportLeases:
    def __init__(self, db: AsyncDatabase) -> None:
        self._collection = db[IMPORT_LEASES]

    async def hold(self, import_id: str, until: datetime) -> None:
        await self._collection.replace_one({"_id": import_id}, {"until": until}, upsert=True)

    async def renew(self, import_ids: list[str], until: datetime) -> None:
        if import_ids:
            await self._collection.update_many(
                {"_id": {"$in": import_ids}}, {"$set": {"until": until}}
            )

    async def expired(self, now: datetime) -> list[str]:
        return [doc["_id"] async for doc in self._collection.find({"until": {"$lt": now}})]

    async def release(self, import_id: str) -> None:
        await self._collection.delete_one({"_id": import_id})
