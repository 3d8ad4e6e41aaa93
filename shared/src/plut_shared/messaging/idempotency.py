"""Exactly-once effects on top of at-least-once delivery (README, "Reliability").

The effect and the record of the event id are one compare-and-swap write: the
document is read by `_id`, skipped if it already lists the event id, else
written with the effect and the id on the condition that its version did not
move. A redelivered event finds its id and changes nothing; two deliveries of
one event racing each other cannot both win the swap.
"""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from plut_shared.messaging.outbox import APPLIED, REMEMBERED_EVENTS, VERSION
from plut_shared.messaging.writes import ConcurrentUpdate, swap
from plut_shared.metrics.deliveries import note_repeat

MAX_ATTEMPTS = 100


def applied_push(event_id: str) -> dict[str, Any]:
    return {APPLIED: {"$each": [event_id], "$slice": -REMEMBERED_EVENTS}}


async def apply_once(
    collection: AsyncCollection,
    document_id: Any,
    update: dict[str, Any],
    event_id: str,
    *,
    create: dict[str, Any] | None = None,
) -> bool:
    """Apply `update` to the document `document_id` unless `event_id` was applied there.

    When the document does not exist, the same write creates it with the fields of
    `create` that the update does not touch, or, without `create`, nothing happens.
    Returns True when the effect happened now. Raises `ConcurrentUpdate` if the
    document never stood still.
    """
    for _ in range(MAX_ATTEMPTS):
        document = await collection.find_one({"_id": document_id})
        if document is None and create is None:
            return False
        if document is not None and event_id in document.get(APPLIED, ()):
            note_repeat()
            return False
        merged = {op: dict(fields) for op, fields in update.items()}
        merged.setdefault("$push", {}).update(applied_push(event_id))
        if document is None:
            touched = {field.split(".")[0] for fields in update.values() for field in fields}
            initial = {k: v for k, v in (create or {}).items() if k not in touched}
            if initial:
                merged["$setOnInsert"] = initial
        if await swap(
            collection, document_id, 0 if document is None else document[VERSION], merged
        ):
            return True
    raise ConcurrentUpdate(f"{collection.name}/{document_id} kept changing")
