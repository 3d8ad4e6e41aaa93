"""The kernel's two single-document writes: insert at version 1, compare-and-swap after.

Every hot-path write filters on `{_id}` + `version` exactly (see `outbox` for
why), and bumps the version, so two writers that read the same version cannot
both win: the loser matches nothing and reloads. Correctness rests on the
store's single-document atomicity alone, so any number of replicas may write.
"""

from __future__ import annotations

import re
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from plut_shared.messaging.outbox import VERSION


class ConcurrentUpdate(Exception):
    """The document kept changing under us; the caller may try again later."""


class AggregateExists(Exception):
    """An aggregate with this id is already stored."""


class DuplicateKey(Exception):
    """A unique index other than `_id` refused the write; `index` names it."""

    def __init__(self, index: str) -> None:
        super().__init__(f"unique index {index} refused the write")
        self.index = index


_INDEX_IN_MESSAGE = re.compile(r"index: (\S+) dup key")


def refused_index(error: DuplicateKeyError) -> str:
    """Name of the unique index that refused a write (MongoDB and the local store)."""
    details = error.details or {}
    pattern = details.get("keyPattern")
    if isinstance(pattern, dict) and pattern:
        return "_".join(f"{key}_{direction}" for key, direction in pattern.items())
    found = _INDEX_IN_MESSAGE.search(str(details.get("errmsg") or error))
    return found.group(1) if found else "unknown"


def is_id_index(index: str) -> bool:
    """Whether a refusing index says the `_id` is taken: `_id` itself, or a compound
    index led by `_id` (the compare-and-swap ones), which can collide only when the
    `_id` does. Which of them a store names first varies (seen after a restart)."""
    return index in ("_id_", "_id_1") or index.startswith("_id_1_")


async def insert_new(collection: AsyncCollection, document: dict[str, Any]) -> None:
    """Insert at version 1; `AggregateExists` or `DuplicateKey` when an index refuses."""
    try:
        await collection.insert_one({**document, VERSION: 1})
    except DuplicateKeyError as error:
        index = refused_index(error)
        if is_id_index(index):
            raise AggregateExists(str(document["_id"])) from None
        raise DuplicateKey(index) from None


async def swap(
    collection: AsyncCollection, document_id: Any, version: int, update: dict[str, Any]
) -> bool:
    """Apply `update` if the document is still at `version`; False when it moved on.

    Version 0 means "not stored yet": the update then creates the document
    (an upsert), and loses to anyone who created it first.
    """
    bumped = {op: dict(fields) for op, fields in update.items()}
    bumped.setdefault("$set", {})[VERSION] = version + 1
    try:
        result = await collection.update_one(
            {"_id": document_id, VERSION: version}, bumped, upsert=version == 0
        )
    except DuplicateKeyError as error:
        index = refused_index(error)
        if version == 0 and is_id_index(index):
            return False
        raise DuplicateKey(index) from None
    return result.matched_count == 1 or result.upserted_id is not None
