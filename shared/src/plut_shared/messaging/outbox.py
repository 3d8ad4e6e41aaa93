"""Transactional outbox without multi-document transactions (DESIGN.md section 5).

An aggregate document carries its unpublished events in an `outbox` array,
written in the SAME single-document update as the state change, so a crash
can never separate the two. `OutboxRelay` publishes them in order, removing
each only after the broker confirmed it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from plut_shared.contracts import Envelope

OUTBOX = "outbox"
PENDING = "outbox_pending"
# Id of the last event appended; the relay empties the outbox only if it is
# still the last one it published (a string, so FerretDB can use its filter).
TAIL = "outbox_tail"
# Token of the relay that holds the outbox now ("" when free), and until when.
LEASE_HOLDER = "outbox_lease_holder"
LEASE_UNTIL = "outbox_lease_until"


def _serialise(events: Iterable[Envelope]) -> list[dict[str, Any]]:
    return [event.model_dump(mode="json") for event in events]


def new_document_with_outbox(
    document: dict[str, Any], events: Iterable[Envelope]
) -> dict[str, Any]:
    """A document to insert, carrying the events its creation produced."""
    serialised = _serialise(events)
    return {
        **document,
        OUTBOX: serialised,
        PENDING: bool(serialised),
        TAIL: serialised[-1]["event_id"] if serialised else "",
        LEASE_HOLDER: "",
    }


def update_with_outbox(update: dict[str, Any], events: Iterable[Envelope]) -> dict[str, Any]:
    """Merge `$push` of the events into an update document (one atomic write)."""
    serialised = _serialise(events)
    if not serialised:
        return update
    merged = {key: dict(value) for key, value in update.items()}
    merged.setdefault("$push", {})[OUTBOX] = {"$each": serialised}
    merged.setdefault("$set", {}).update({PENDING: True, TAIL: serialised[-1]["event_id"]})
    return merged


async def create_outbox_indexes(collection: Any) -> None:
    await collection.create_index(PENDING)
