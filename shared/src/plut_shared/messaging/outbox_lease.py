"""The relay's writes to an aggregate document, none of which moves its `version`.

A writer's compare-and-swap on `{_id, version}` and the relay's writes touch
different fields (a writer sets state and appends to the outbox; the relay
sets the lease and removes events it published), so they commute: the relay
never makes a writer retry. The relay's own compare-and-swaps filter on
`{_id, outbox_lease_holder}`, which a unique compound index serves on every
store (`outbox.create_aggregate_indexes`), so they cost the same at any size.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from plut_shared.messaging.outbox import (
    LEASE_HOLDER,
    LEASE_UNTIL,
    OUTBOX,
    OUTBOX_PENDING,
    VERSION,
)

FREE = ""


async def take(
    collection: AsyncCollection, aggregate_id: Any, held_by: str, token: str, until: datetime
) -> bool:
    """Take the lease from `held_by` (FREE, or a holder whose lease ran out)."""
    taken = await collection.update_one(
        {"_id": aggregate_id, LEASE_HOLDER: held_by},
        {"$set": {LEASE_HOLDER: token, LEASE_UNTIL: until}},
    )
    return taken.matched_count == 1


async def remove_published(
    collection: AsyncCollection, aggregate_id: Any, token: str, event_ids: list[str]
) -> dict[str, Any] | None:
    """Drop the published events and free the lease; the document after, or None if
    the lease was lost (another relay took over: it publishes what is left)."""
    removed = await collection.update_one(
        {"_id": aggregate_id, LEASE_HOLDER: token},
        {
            "$pull": {OUTBOX: {"event_id": {"$in": event_ids}}},
            "$set": {LEASE_HOLDER: FREE, LEASE_UNTIL: None},
        },
    )
    if removed.matched_count == 0:
        return None
    document: dict[str, Any] | None = await collection.find_one({"_id": aggregate_id})
    return document


async def mark_drained(collection: AsyncCollection, aggregate_id: Any, version: int) -> None:
    """Clear the sweep's flag, unless a writer appended events since `version` was read.

    No version bump: a writer that read `version` still wins its swap, and sets
    the flag again with its events.
    """
    await collection.update_one(
        {"_id": aggregate_id, VERSION: version}, {"$set": {OUTBOX_PENDING: False}}
    )
