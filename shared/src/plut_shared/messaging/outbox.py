"""Transactional outbox without multi-document transactions (README, "Reliability").

An aggregate document carries its unpublished events in an `outbox` array,
written in the SAME single-document update as the state change, so a crash
can never separate the two. The relay (`relay.OutboxRelay`) publishes them in
order and empties the outbox only after the broker confirmed them.

Fields every aggregate document has besides its state:
- `version`: an integer bumped by every write; writes are compare-and-swaps on
  `{_id, version}`, backed by a unique compound index (the local store uses an
  index only when a filter's keys are exactly an index's keys; MongoDB finds
  by `_id` either way), so a write costs the same at any collection size;
- `outbox`, `outbox_pending`: the events and whether there are any (for sweeps);
- `outbox_lease_holder`, `outbox_lease_until`: which relay publishes them now
  (the relay's writes never move `version`: see `outbox_lease`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection

from plut_shared.contracts import Envelope
from plut_shared.tracing.kernel import outbox_entry

VERSION = "version"
OUTBOX = "outbox"
OUTBOX_PENDING = "outbox_pending"
LEASE_HOLDER = "outbox_lease_holder"
LEASE_UNTIL = "outbox_lease_until"
# Event ids an aggregate has applied (consumers' exactly-once effects), newest last.
APPLIED = "applied_event_ids"
# How many applied event ids each document remembers. Redeliveries arrive within
# minutes, long before hundreds of newer events touch the same document.
REMEMBERED_EVENTS = 500

# See `seal`: a digest of the version and the state, written with them.
STATE_SEAL = "state_seal"

KERNEL_FIELDS = frozenset(
    {"_id", VERSION, OUTBOX, OUTBOX_PENDING, LEASE_HOLDER, LEASE_UNTIL, APPLIED, STATE_SEAL}
)


def serialised(events: Iterable[Envelope]) -> list[dict[str, Any]]:
    return [outbox_entry(event) for event in events]  # with the writer's trace context


def outbox_push(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The part of an update that appends events to the outbox (empty when none)."""
    if not events:
        return {}
    return {"$push": {OUTBOX: {"$each": events}}, "$set": {OUTBOX_PENDING: True}}


async def create_aggregate_indexes(collection: AsyncCollection) -> None:
    """The compare-and-swap indexes of writers and of the relay's lease, and the sweep's.

    `_id` alone is unique, so the compound indexes refuse nothing; they exist
    because the local store uses an index only for a filter with exactly its
    keys (MongoDB finds by `_id` either way, and they cost it little).
    """
    await collection.create_index([("_id", ASCENDING), (VERSION, ASCENDING)], unique=True)
    await collection.create_index([("_id", ASCENDING), (LEASE_HOLDER, ASCENDING)], unique=True)
    await collection.create_index(OUTBOX_PENDING)
