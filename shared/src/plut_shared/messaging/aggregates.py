"""The easy path for command handlers: write state and its events together.

`AggregateWriter` does the single-document write that carries the events
(see `outbox`), holds the document's lock while doing it (see `locks`), and
wakes the relay so the events leave at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from plut_shared.contracts import Envelope
from plut_shared.messaging.locks import DocumentLocks
from plut_shared.messaging.outbox import new_document_with_outbox, update_with_outbox
from plut_shared.messaging.relay import OutboxRelay

VERSION = "version"
# The version as a string, for the compare-and-swap filter: FerretDB 1.x scans
# the whole collection when a filter compares numbers, not when it compares strings.
REVISION = "revision"


class ConcurrentUpdate(Exception):
    """The document changed since it was read; reload and try again."""


class AggregateWriter:
    def __init__(self, locks: DocumentLocks, relay: OutboxRelay) -> None:
        self._locks = locks
        self._relay = relay

    async def insert(
        self, collection: AsyncCollection, document: dict[str, Any], events: Sequence[Envelope]
    ) -> None:
        """Create an aggregate (version 1) with the events its creation produced."""
        async with self._locks.hold(collection.name, document["_id"]):
            await collection.insert_one(
                new_document_with_outbox({**document, VERSION: 1, REVISION: "1"}, events)
            )
        self._relay.notify(collection.name, document["_id"])

    async def update(
        self,
        collection: AsyncCollection,
        document_id: Any,
        expected_version: int,
        update: dict[str, Any],
        events: Sequence[Envelope],
    ) -> None:
        """Change an aggregate read at `expected_version`, appending its events."""
        next_version = expected_version + 1
        versioned = {
            **update,
            "$set": {**update.get("$set", {}), VERSION: next_version, REVISION: str(next_version)},
        }
        async with self._locks.hold(collection.name, document_id):
            result = await collection.update_one(
                {"_id": document_id, REVISION: str(expected_version)},
                update_with_outbox(versioned, events),
            )
        if result.matched_count == 0:
            raise ConcurrentUpdate(f"{collection.name}/{document_id} is not at v{expected_version}")
        if events:
            self._relay.notify(collection.name, document_id)
