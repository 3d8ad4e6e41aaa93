"""The registration use cases wired to in-memory parts: no broker, no store."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from plut_shared.messaging import InMemoryAggregateStore
from plut_shared.routes import Actor
from registration.adapters.audit import AuditEntry
from registration.adapters.directory import (
    FIELD_OF_INDEX,
    DuplicateIdentity,
    SearchFilter,
)
from registration.adapters.keys import KEY_FIELD
from registration.adapters.records import EnterpriseMapper
from registration.domain.record import EnterpriseRecord
from registration.handlers import RegistrationHandlers

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


class MemoryDirectory:
    """The directory's questions answered from the in-memory store's documents."""

    def __init__(self, store: InMemoryAggregateStore[EnterpriseRecord]) -> None:
        self.store = store
        self.mapper = EnterpriseMapper()

    async def duplicate(self, index: str, record: EnterpriseRecord) -> DuplicateIdentity:
        name = FIELD_OF_INDEX[index]
        mine = self.mapper.to_document(record)[KEY_FIELD[name]]
        for umkm_id, doc in self.store.documents.items():
            if umkm_id != record.umkm_id and doc[KEY_FIELD[name]] == mine:
                return DuplicateIdentity(name, umkm_id, doc["centre_id"])
        return DuplicateIdentity("identity", None)

    async def names_in_villages(
        self, village_keys: list[str], centre_id: str
    ) -> dict[str, list[tuple[str, str]]]:
        names: dict[str, list[tuple[str, str]]] = {}
        for umkm_id, doc in self.store.documents.items():
            if doc["village_key"] in village_keys and doc["centre_id"] == centre_id:
                names.setdefault(doc["village_key"], []).append((umkm_id, doc["business"]["name"]))
        return names

    async def search(
        self, where: SearchFilter, *, limit: int, offset: int
    ) -> tuple[list[EnterpriseRecord], int]:
        found = [
            self.mapper.from_document({**doc, "_id": umkm_id})
            for umkm_id, doc in sorted(self.store.documents.items())
            if not doc["erased"]
            and (where.centre_ids is None or doc["centre_id"] in where.centre_ids)
        ]
        return found[offset : offset + limit], len(found)


class MemoryReportWriter:
    """An import's report pages, as one list."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.saved = 0

    async def add(self, outcomes: list[dict[str, Any]]) -> None:
        self.rows.extend(outcomes)
        self.saved += len(outcomes)


class MemoryAudit:
    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    async def record(self, entries: list[AuditEntry]) -> None:
        self.entries.extend(entries)

    def actions(self) -> list[str]:
        return [entry.action for entry in self.entries]


def wired() -> tuple[RegistrationHandlers, InMemoryAggregateStore[EnterpriseRecord], MemoryAudit]:
    store = InMemoryAggregateStore(
        EnterpriseMapper(), producer="registration", unique=tuple(KEY_FIELD.values())
    )
    audit = MemoryAudit()
    handlers = RegistrationHandlers(store, MemoryDirectory(store), audit, clock=lambda: NOW)  # type: ignore[arg-type]
    return handlers, store, audit


def officer(*centres: str, **changes: Any) -> Actor:
    fields: dict[str, Any] = {
        "subject": "officer-1",
        "role": "officer",
        "centres": frozenset(centres or ("kota-mojokerto",)),
        "correlation_id": "corr-1",
        "sees_nik": True,
    }
    return Actor(**(fields | changes))
