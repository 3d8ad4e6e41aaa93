"""The relay's writes to aggregate documents, none of which moves their `version`.

A writer's compare-and-swap on `{_id, version}` and the relay's writes touch
different fields (a writer sets state and appends to the outbox; the relay
sets the lease and removes events it published), so they commute: the relay
never makes a writer retry. The lease is taken with a compare-and-swap on
`{_id, outbox_lease_holder}`, which a unique compound index serves on every
store (`outbox.create_aggregate_indexes`), so it costs the same at any size.

The relay works on many aggregates at once, so every step here is one bulk
write for a whole batch (one round trip), not one write per aggregate.
Finishing rests on one fact: only a writer adds events, and every writer
moves the version. So the outbox at the version the relay read holds exactly
the events it read (or fewer, if another relay removed some), and "empty the
outbox if the version is still the one read" removes nothing unpublished.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection

from plut_shared.messaging.outbox import (
    LEASE_HOLDER,
    LEASE_UNTIL,
    OUTBOX,
    OUTBOX_PENDING,
    VERSION,
)

FREE = ""
RELEASED = {LEASE_HOLDER: FREE, LEASE_UNTIL: None}


@dataclass(frozen=True)
class Claim:
    """An aggregate's outbox as read, to be published under a lease."""

    aggregate_id: Any
    version: int
    held_by: str
    events: list[dict[str, Any]]

    @property
    def event_ids(self) -> list[str]:
        return [event["event_id"] for event in self.events]


def claimable(document: dict[str, Any], now: datetime) -> Claim | None:
    """The claim on a document's outbox, or None if it is empty or another
    relay's lease on it still runs."""
    if not document.get(OUTBOX):
        return None
    holder, until = document.get(LEASE_HOLDER, FREE), document.get(LEASE_UNTIL)
    if until is not None and until.tzinfo is None:  # clients without tz_aware
        until = until.replace(tzinfo=now.tzinfo)
    if holder != FREE and until is not None and until > now:
        return None
    return Claim(document["_id"], document[VERSION], holder, list(document[OUTBOX]))


def left_flagged(document: dict[str, Any]) -> bool:
    """A relay died between emptying the outbox and clearing the sweep's flag."""
    return bool(document.get(OUTBOX_PENDING)) and not document.get(OUTBOX)


async def take(
    collection: AsyncCollection, claims: list[Claim], token: str, until: datetime
) -> list[Claim]:
    """Take the leases (from FREE, or from holders whose lease ran out); the claims won."""
    if not claims:
        return []
    lease = {"$set": {LEASE_HOLDER: token, LEASE_UNTIL: until}}
    writes = [UpdateOne({"_id": c.aggregate_id, LEASE_HOLDER: c.held_by}, lease) for c in claims]
    result = await collection.bulk_write(writes, ordered=False)
    if result.matched_count == len(claims):
        return claims
    held = await _holders(collection, [claim.aggregate_id for claim in claims])
    return [claim for claim in claims if held.get(claim.aggregate_id) == token]


async def finish(collection: AsyncCollection, claims: list[Claim], token: str) -> list[Claim]:
    """Empty the outboxes whose version did not move, clear their flag and lease.

    Returns the claims a writer appended to meanwhile: their published events
    were removed one by one (keeping the newer ones) and their lease freed.
    """
    if not claims:
        return []
    emptied: dict[str, Any] = {"$set": {OUTBOX: [], OUTBOX_PENDING: False, **RELEASED}}
    writes = [UpdateOne({"_id": c.aggregate_id, VERSION: c.version}, emptied) for c in claims]
    result = await collection.bulk_write(writes, ordered=False)
    if result.matched_count == len(claims):
        return []
    versions = await _versions(collection, [claim.aggregate_id for claim in claims])
    moved = [claim for claim in claims if versions.get(claim.aggregate_id) != claim.version]
    if moved:
        removals = [
            UpdateOne(
                {"_id": claim.aggregate_id, LEASE_HOLDER: token},
                {"$pull": {OUTBOX: {"event_id": {"$in": claim.event_ids}}}, "$set": RELEASED},
            )
            for claim in moved
        ]
        await collection.bulk_write(removals, ordered=False)
    return moved


async def release(collection: AsyncCollection, claims: list[Claim], token: str) -> None:
    """Give up leases without removing anything (publishing failed): another round
    may take them at once instead of waiting for them to run out."""
    if claims:
        frees = [
            UpdateOne({"_id": claim.aggregate_id, LEASE_HOLDER: token}, {"$set": RELEASED})
            for claim in claims
        ]
        await collection.bulk_write(frees, ordered=False)


async def clear_flags(collection: AsyncCollection, documents: list[dict[str, Any]]) -> None:
    """Clear the sweep's flag on documents left flagged with an empty outbox, unless
    a writer appended events since (then its version moved and it keeps the flag)."""
    if documents:
        await collection.bulk_write(
            [
                UpdateOne(
                    {"_id": document["_id"], VERSION: document[VERSION]},
                    {"$set": {OUTBOX_PENDING: False}},
                )
                for document in documents
            ],
            ordered=False,
        )


async def _holders(collection: AsyncCollection, ids: list[Any]) -> dict[Any, str]:
    found = collection.find({"_id": {"$in": ids}}, {LEASE_HOLDER: 1})
    return {document["_id"]: document.get(LEASE_HOLDER, FREE) async for document in found}


async def _versions(collection: AsyncCollection, ids: list[Any]) -> dict[Any, int]:
    found = collection.find({"_id": {"$in": ids}}, {VERSION: 1})
    return {document["_id"]: document[VERSION] async for document in found}
