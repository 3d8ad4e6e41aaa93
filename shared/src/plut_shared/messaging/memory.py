"""An in-memory aggregate store with the same contract as `AggregateStore`.

Use-case unit tests run on it without a broker or a store: it keeps each
aggregate as the document its mapper makes (so a mapper that loses a field
fails here too), counts versions, records applied event ids and collects the
events that would have gone to the outbox.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from plut_shared.contracts import Envelope, Payload, make_envelope
from plut_shared.messaging.aggregates import Cause, Mapper, check_state
from plut_shared.messaging.writes import AggregateExists, DuplicateKey

A = TypeVar("A")
R = TypeVar("R")


class InMemoryAggregateStore(Generic[A]):
    def __init__(
        self,
        mapper: Mapper[A],
        *,
        producer: str,
        name: str = "aggregates",
        unique: tuple[str, ...] = (),
    ) -> None:
        self.mapper = mapper
        self.producer = producer
        self.name = name
        self.unique = unique  # state fields under a unique index, as the service declares
        self.documents: dict[str, dict[str, Any]] = {}
        self.versions: dict[str, int] = {}
        self.applied: dict[str, list[str]] = {}
        self.events: list[Envelope] = []  # every event written, in write order

    async def create_indexes(self) -> None:
        return None

    async def get(self, aggregate_id: str) -> A | None:
        document = self.documents.get(aggregate_id)
        if document is None:
            return None
        return self.mapper.from_document(self._loaded(aggregate_id, document))

    async def add(self, aggregate: A, cause: Cause) -> list[Envelope]:
        aggregate_id = self.mapper.id_of(aggregate)
        if aggregate_id in self.documents:
            raise AggregateExists(aggregate_id)
        return self._write(aggregate_id, aggregate, cause, self.mapper.pull_events(aggregate))

    async def change(self, aggregate_id: str, change: Callable[[A], R], cause: Cause) -> R | None:
        result, _ = await self.change_with_events(aggregate_id, change, cause)
        return result

    async def change_with_events(
        self, aggregate_id: str, change: Callable[[A], R], cause: Cause
    ) -> tuple[R | None, list[Envelope]]:
        aggregate = await self.get(aggregate_id)
        if aggregate is None:
            return None, []
        before = copy.deepcopy(self.mapper.to_document(aggregate))
        result = change(aggregate)
        payloads = self.mapper.pull_events(aggregate)
        if payloads or self.mapper.to_document(aggregate) != before:
            return result, self._write(aggregate_id, aggregate, cause, payloads)
        return result, []

    async def apply_event(
        self,
        aggregate_id: str,
        envelope: Envelope,
        change: Callable[[A], object],
        *,
        create: Callable[[], A] | None = None,
    ) -> bool:
        if envelope.event_id in self.applied.get(aggregate_id, []):
            return False
        aggregate = await self.get(aggregate_id)
        if aggregate is None:
            if create is None:
                return False
            aggregate = create()
        change(aggregate)
        payloads = self.mapper.pull_events(aggregate)
        self._write(aggregate_id, aggregate, Cause.of(envelope), payloads)
        self.applied.setdefault(aggregate_id, []).append(envelope.event_id)
        return True

    def events_of(self, event_type: str) -> list[Envelope]:
        return [event for event in self.events if event.event_type == event_type]

    def _loaded(self, aggregate_id: str, document: dict[str, Any]) -> dict[str, Any]:
        version = self.versions[aggregate_id]
        return {**copy.deepcopy(document), "_id": aggregate_id, "version": version}

    def _check_unique(self, aggregate_id: str, state: dict[str, Any]) -> None:
        for field in self.unique:
            for other_id, other in self.documents.items():
                if other_id != aggregate_id and other.get(field) == state.get(field):
                    raise DuplicateKey(f"{field}_1")

    def _write(
        self, aggregate_id: str, aggregate: A, cause: Cause, payloads: list[Payload]
    ) -> list[Envelope]:
        state = self.mapper.to_document(aggregate)
        check_state(state)
        self._check_unique(aggregate_id, state)  # before anything is kept, as a refused write
        written = [
            make_envelope(
                payload,
                producer=self.producer,
                centre_id=self.mapper.centre_of(aggregate),
                subject_id=aggregate_id,
                correlation_id=cause.correlation_id,
                causation_id=cause.causation_id,
            )
            for payload in payloads
        ]
        self.events.extend(written)
        self.documents[aggregate_id] = copy.deepcopy(state)
        self.versions[aggregate_id] = self.versions.get(aggregate_id, 0) + 1
        return written
