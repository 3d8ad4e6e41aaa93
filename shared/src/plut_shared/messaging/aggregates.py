"""The aggregate store every service saves its aggregates through.

A use case gets an aggregate, or changes one by id with a function that calls
its domain methods; the store collects the events the aggregate recorded and
writes them with its new state in ONE single-document compare-and-swap (see
`writes` and `outbox`), retrying on a version conflict with a fresh copy. The
relay is told at once, so the events leave without waiting for a sweep.

A service supplies a `Mapper` (aggregate <-> state document, id, centre); use
cases never build update operators. `InMemoryAggregateStore` (module
`memory`) keeps the same contract for fast unit tests without a store.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import random
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from pymongo.asynchronous.collection import AsyncCollection

from plut_shared.contracts import Envelope, Payload, make_envelope
from plut_shared.messaging.idempotency import applied_push
from plut_shared.messaging.outbox import (
    APPLIED,
    KERNEL_FIELDS,
    LEASE_HOLDER,
    LEASE_UNTIL,
    OUTBOX,
    OUTBOX_PENDING,
    STATE_SEAL,
    VERSION,
    create_aggregate_indexes,
    serialised,
)
from plut_shared.messaging.seal import intact, seal
from plut_shared.messaging.writes import AggregateExists, ConcurrentUpdate, insert_new, swap
from plut_shared.metrics.deliveries import note_repeat

log = logging.getLogger(__name__)

A = TypeVar("A")
R = TypeVar("R")

# Enough for dozens of writers on one aggregate; more means something is wrong.
MAX_ATTEMPTS = 100
# An inconsistent read is rare and transient (see `seal`); a few more reads end it.
UNSEALED_READS = 10


@dataclass(frozen=True)
class Cause:
    """Why a change happens: the command's correlation id, and the event that caused it."""

    correlation_id: str
    causation_id: str | None = None

    @classmethod
    def of(cls, envelope: Envelope) -> Cause:
        return cls(envelope.correlation_id, envelope.event_id)


class Mapper(ABC, Generic[A]):
    """Turns one kind of aggregate into its stored state and back."""

    @abstractmethod
    def id_of(self, aggregate: A) -> str: ...

    @abstractmethod
    def to_document(self, aggregate: A) -> dict[str, Any]:
        """The aggregate's state, without `_id` or the kernel's fields."""

    @abstractmethod
    def from_document(self, document: Mapping[str, Any]) -> A:
        """Rebuild an aggregate; the document also carries `_id` and `version`."""

    def centre_of(self, aggregate: A) -> str:
        return str(getattr(aggregate, "centre_id"))  # noqa: B009 - a convention, not an attribute access bug

    def pull_events(self, aggregate: A) -> list[Payload]:
        """Events the aggregate recorded since it was loaded, handed over once."""
        pull: Callable[[], list[Payload]] = getattr(aggregate, "pull_events")  # noqa: B009
        return pull()


class Aggregates(Protocol[A]):
    """What a use case needs of an aggregate store: `AggregateStore` and the in-memory fake."""

    async def get(self, aggregate_id: str) -> A | None: ...

    async def add(self, aggregate: A, cause: Cause) -> list[Envelope]: ...

    async def change(
        self, aggregate_id: str, change: Callable[[A], R], cause: Cause
    ) -> R | None: ...

    async def change_with_events(
        self, aggregate_id: str, change: Callable[[A], R], cause: Cause
    ) -> tuple[R | None, list[Envelope]]: ...

    async def apply_event(
        self,
        aggregate_id: str,
        envelope: Envelope,
        change: Callable[[A], object],
        *,
        create: Callable[[], A] | None = None,
    ) -> bool: ...


class AggregateStore(Generic[A]):
    def __init__(
        self,
        collection: AsyncCollection,
        mapper: Mapper[A],
        *,
        producer: str,
        on_events: Callable[[str, Any], None] = lambda collection, aggregate_id: None,
    ) -> None:
        self.collection = collection
        self.mapper = mapper
        self.producer = producer
        self._on_events = on_events

    @property
    def name(self) -> str:
        return self.collection.name

    async def create_indexes(self) -> None:
        await create_aggregate_indexes(self.collection)

    async def get(self, aggregate_id: str) -> A | None:
        document = await self._read(aggregate_id)
        return None if document is None else self.mapper.from_document(document)

    async def _read(self, aggregate_id: str) -> dict[str, Any] | None:
        """The document, read again while its seal shows fields from two writes."""
        for _ in range(UNSEALED_READS):
            document: dict[str, Any] | None = await self.collection.find_one({"_id": aggregate_id})
            if document is None or intact(document, KERNEL_FIELDS):
                return document
            log.warning("inconsistent read of %s/%s; reading again", self.name, aggregate_id)
        raise ConcurrentUpdate(f"{self.name}/{aggregate_id} never read whole")

    async def add(self, aggregate: A, cause: Cause) -> list[Envelope]:
        """Store a new aggregate with the events its creation recorded; returns them.

        Raises `AggregateExists` for a taken id, `DuplicateKey` for another unique index.
        """
        aggregate_id = self.mapper.id_of(aggregate)
        envelopes = self._envelopes(aggregate, cause)
        events = serialised(envelopes)
        await insert_new(self.collection, self._new_document(aggregate_id, aggregate, events, []))
        if events:
            self._on_events(self.name, aggregate_id)
        return envelopes

    async def change(self, aggregate_id: str, change: Callable[[A], R], cause: Cause) -> R | None:
        """Apply `change` to the current aggregate and save it; None for an unknown id.

        `change` may raise (a domain rule said no): then nothing is written. It may
        run more than once (after a conflict, on a fresh copy), so it must not have
        side effects outside the aggregate. Returns what `change` returned.
        """
        result, _ = await self.change_with_events(aggregate_id, change, cause)
        return result

    async def change_with_events(
        self, aggregate_id: str, change: Callable[[A], R], cause: Cause
    ) -> tuple[R | None, list[Envelope]]:
        """`change`, also returning the events the write carried."""
        for attempt in range(MAX_ATTEMPTS):
            document = await self._read(aggregate_id)
            if document is None:
                return None, []
            aggregate = self.mapper.from_document(document)
            before = copy.deepcopy(self.mapper.to_document(aggregate))
            result = change(aggregate)
            envelopes = self._envelopes(aggregate, cause)
            state = self.mapper.to_document(aggregate)
            if not envelopes and state == before:
                return result, []  # nothing changed: nothing to write, nothing to publish
            if await self._save(document, state, serialised(envelopes), event_id=None):
                return result, envelopes
            await _pause(attempt)
        raise ConcurrentUpdate(f"{self.name}/{aggregate_id} kept changing")

    async def apply_event(
        self,
        aggregate_id: str,
        envelope: Envelope,
        change: Callable[[A], object],
        *,
        create: Callable[[], A] | None = None,
    ) -> bool:
        """Apply an incoming event's effect exactly once (its id is recorded in the write).

        An unknown aggregate is created with `create` first, or the event changes
        nothing. Returns True when the effect happened now, False for a repeat.
        """
        cause = Cause.of(envelope)
        for attempt in range(MAX_ATTEMPTS):
            document = await self._read(aggregate_id)
            if document is None:
                if create is None:
                    return False
                aggregate = create()
            elif envelope.event_id in document.get(APPLIED, ()):
                note_repeat()
                return False
            else:
                aggregate = self.mapper.from_document(document)
            change(aggregate)
            events = serialised(self._envelopes(aggregate, cause))
            state = self.mapper.to_document(aggregate)
            if document is None:
                if await self._insert_applied(aggregate_id, aggregate, events, envelope.event_id):
                    return True
            elif await self._save(document, state, events, event_id=envelope.event_id):
                return True
            await _pause(attempt)
        raise ConcurrentUpdate(f"{self.name}/{aggregate_id} kept changing")

    async def _insert_applied(
        self, aggregate_id: str, aggregate: A, events: list[dict[str, Any]], event_id: str
    ) -> bool:
        document = self._new_document(aggregate_id, aggregate, events, [event_id])
        try:
            await insert_new(self.collection, document)
        except AggregateExists:
            return False  # created meanwhile by another delivery: apply on top of it
        if events:
            self._on_events(self.name, aggregate_id)
        return True

    async def _save(
        self,
        document: Mapping[str, Any],
        state: dict[str, Any],
        events: list[dict[str, Any]],
        *,
        event_id: str | None,
    ) -> bool:
        check_state(state)
        update: dict[str, Any] = {"$set": dict(state)}
        gone = [key for key in document if key not in KERNEL_FIELDS and key not in state]
        if gone:
            update["$unset"] = dict.fromkeys(gone, "")
        pushes: dict[str, Any] = {}
        if events:
            pushes[OUTBOX] = {"$each": events}
            update["$set"][OUTBOX_PENDING] = True
        if event_id is not None:
            pushes.update(applied_push(event_id))
        if pushes:
            update["$push"] = pushes
        update["$set"][STATE_SEAL] = seal(document[VERSION] + 1, state)
        saved = await swap(self.collection, document["_id"], document[VERSION], update)
        if saved and events:
            self._on_events(self.name, document["_id"])
        return saved

    def _new_document(
        self, aggregate_id: str, aggregate: A, events: list[dict[str, Any]], applied: list[str]
    ) -> dict[str, Any]:
        state = self.mapper.to_document(aggregate)
        check_state(state)
        return {
            "_id": aggregate_id,
            **state,
            STATE_SEAL: seal(1, state),
            OUTBOX: events,
            OUTBOX_PENDING: bool(events),
            LEASE_HOLDER: "",
            LEASE_UNTIL: None,
            APPLIED: applied,
        }

    def _envelopes(self, aggregate: A, cause: Cause) -> list[Envelope]:
        return [
            make_envelope(
                payload,
                producer=self.producer,
                centre_id=self.mapper.centre_of(aggregate),
                subject_id=self.mapper.id_of(aggregate),
                correlation_id=cause.correlation_id,
                causation_id=cause.causation_id,
            )
            for payload in self.mapper.pull_events(aggregate)
        ]


def check_state(state: Mapping[str, Any]) -> None:
    clash = KERNEL_FIELDS.intersection(state)
    if clash:
        raise ValueError(f"a mapper's state must not hold the kernel's fields {sorted(clash)}")


async def _pause(attempt: int) -> None:
    """A short, growing, jittered pause, so conflicting writers stop colliding in step."""
    await asyncio.sleep(random.uniform(0, min(0.002 * 2**attempt, 0.25)))
