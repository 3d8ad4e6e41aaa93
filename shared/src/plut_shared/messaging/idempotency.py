"""Exactly-once effects on top of at-least-once delivery (DESIGN.md section 5).

The effect and the record of the event id are one conditional single-document
update: the filter excludes documents that already list the event id, so a
redelivered event matches nothing and changes nothing.
"""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

APPLIED = "applied_event_ids"

# How many event ids each document remembers. Redeliveries arrive within
# minutes, long before hundreds of newer events touch the same document.
REMEMBERED_EVENTS = 500


async def apply_once(
    collection: AsyncCollection,
    key: dict[str, Any],
    update: dict[str, Any],
    event_id: str,
    *,
    upsert: bool = False,
) -> bool:
    """Apply `update` to the document matching `key` unless `event_id` was applied.

    Returns True when the effect happened now, False when it had already
    happened (or, without upsert, when no such document exists).
    """
    merged = {op: dict(fields) for op, fields in update.items()}
    merged.setdefault("$push", {})[APPLIED] = {"$each": [event_id], "$slice": -REMEMBERED_EVENTS}
    try:
        result = await collection.update_one(
            {**key, APPLIED: {"$ne": event_id}}, merged, upsert=upsert
        )
    except DuplicateKeyError:
        # The document exists and already lists the event: the upsert's insert collided.
        return False
    return bool(result.modified_count or result.upserted_id is not None)
