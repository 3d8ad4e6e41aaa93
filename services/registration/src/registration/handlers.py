"""Use cases of the registration service, as plain async methods.

Each one loads the record through the aggregate store, lets the enterprise
decide, and saves state and events in one write; then it records the
processing in the audit trail. They know nothing of HTTP: callers map the
errors below to status codes. The bulk import registers each row through
`add_new` (`register` without the audit write, which the import batches), so a
row is checked and deduplicated exactly like a single request.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from plut_shared.contracts import utc_now
from plut_shared.messaging import AggregateExists, Cause, ConcurrentUpdate, DuplicateKey
from plut_shared.routes import Actor

from registration.adapters.audit import AuditEntry, AuditTrail
from registration.adapters.directory import DuplicateIdentity, SearchFilter
from registration.adapters.keys import village_key
from registration.domain.commands import (
    CorrectProfile,
    RegisterEnterprise,
    SetConsent,
    UpdateFinancials,
    enterprise_from_command,
)
from registration.domain.enterprise import Enterprise, new_umkm_id
from registration.domain.record import EnterpriseRecord
from registration.domain.similarity import join_neighbours, leave_neighbours

SERVICE = "registration"

# village key -> [(umkm_id, business name)] known there
VillageNames = dict[str, list[tuple[str, str]]]


class NotFound(Exception):
    """Unknown id, or an enterprise of a centre the caller may not see (same answer)."""


class CentreNotAllowed(Exception):
    """The caller tried to register an enterprise for a centre it does not serve."""


class ChangeConflict(Exception):
    """The enterprise kept changing under us; the caller may retry."""


class IdentityHeldElsewhere(Exception):
    """The NIK, NIB or phone belongs to an enterprise of a centre the caller does not serve.

    It names neither that enterprise nor its centre: an officer must not learn
    who is registered where by trying identities.
    """

    def __init__(self, field: str) -> None:
        super().__init__(
            f"{field} is already registered at another PLUT centre; to move the enterprise "
            "here, ask that centre's admin to transfer it, or ask the owner to request it there"
        )
        self.field = field


class Records(Protocol):
    """The aggregate store of registration records (real or in memory)."""

    async def get(self, aggregate_id: str) -> EnterpriseRecord | None: ...
    async def add(self, aggregate: EnterpriseRecord, cause: Cause) -> Any: ...
    async def change(
        self, aggregate_id: str, change: Callable[[EnterpriseRecord], Any], cause: Cause
    ) -> Any: ...


class Directory(Protocol):
    """Queries across records (see `adapters.directory`)."""

    async def duplicate(self, index: str, record: EnterpriseRecord) -> DuplicateIdentity: ...
    async def names_in_villages(self, village_keys: list[str], centre_id: str) -> VillageNames: ...
    async def search(
        self, where: SearchFilter, *, limit: int, offset: int
    ) -> tuple[list[EnterpriseRecord], int]: ...


class RegistrationHandlers:
    def __init__(
        self,
        records: Records,
        directory: Directory,
        audit: AuditTrail,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.records = records
        self.directory = directory
        self.audit = audit
        self.clock = clock

    async def register(
        self, command: RegisterEnterprise, actor: Actor, *, known_names: VillageNames | None = None
    ) -> EnterpriseRecord:
        """Store a new enterprise, with its `registered` event, and audit it."""
        record = await self.add_new(command, actor, known_names=known_names)
        await self.record(actor, "register", [record.enterprise])
        return record

    async def add_new(
        self, command: RegisterEnterprise, actor: Actor, *, known_names: VillageNames | None = None
    ) -> EnterpriseRecord:
        """`register` without the audit entry, which the caller records (the bulk import
        writes one batch per chunk of rows). `known_names` spares a look-up per row of an
        import, and lets later rows of a file see the names of earlier ones."""
        if not actor.can_access(command.centre_id):
            raise CentreNotAllowed(command.centre_id)
        enterprise = enterprise_from_command(command, umkm_id=new_umkm_id(), at=self.clock())
        neighbours = await self._neighbours(enterprise, known_names)
        similar = join_neighbours(enterprise.umkm_id, enterprise.business.name, neighbours)
        record = EnterpriseRecord(enterprise, similar)
        try:
            await self.records.add(record, Cause(actor.correlation_id))
        except DuplicateKey as refused:
            leave_neighbours(record.umkm_id, neighbours)
            duplicate = await self.directory.duplicate(refused.index, record)
            raise visible_duplicate(duplicate, actor) from None
        except AggregateExists:  # a UUIDv7 collision: practically never, but never silent
            leave_neighbours(record.umkm_id, neighbours)
            raise ChangeConflict(record.umkm_id) from None
        except BaseException:
            leave_neighbours(record.umkm_id, neighbours)
            raise
        return record

    async def _neighbours(
        self, enterprise: Enterprise, known: VillageNames | None
    ) -> list[tuple[str, str]]:
        """The names already registered in the enterprise's village, of its centre."""
        key = village_key(enterprise.business.address)
        if key is None or enterprise.business.name is None:
            return []
        if known is None:
            known = await self.directory.names_in_villages([key], enterprise.centre_id)
        return known.setdefault(key, [])

    async def read(self, umkm_id: str, actor: Actor, action: str = "read") -> EnterpriseRecord:
        record = await self.records.get(umkm_id)
        if record is None or not actor.can_access(record.centre_id):
            raise NotFound(umkm_id)
        await self.record(actor, action, [record.enterprise])
        return record

    async def export(self, umkm_id: str, actor: Actor) -> dict[str, Any]:
        return (await self.read(umkm_id, actor, "export")).enterprise.export()

    async def update_financials(
        self, umkm_id: str, command: UpdateFinancials, actor: Actor
    ) -> EnterpriseRecord:
        today = command.effective_date or self.clock().date()
        return await self._change(
            umkm_id,
            actor,
            "update_financials",
            lambda e: e.update_financials(
                capital=command.capital, annual_sales=command.annual_sales, today=today
            ),
        )

    async def correct(
        self, umkm_id: str, command: CorrectProfile, actor: Actor
    ) -> EnterpriseRecord:
        changes = command.changes()
        return await self._change(umkm_id, actor, "correct", lambda e: e.correct(**changes))

    async def set_consent(
        self, umkm_id: str, command: SetConsent, actor: Actor
    ) -> EnterpriseRecord:
        at = self.clock()
        return await self._change(
            umkm_id,
            actor,
            "set_consent",
            lambda e: e.set_consent(command.purpose, command.granted, command.source, at),
        )

    async def erase(self, umkm_id: str, actor: Actor) -> EnterpriseRecord:
        at = self.clock()
        return await self._change(umkm_id, actor, "erase", lambda e: e.erase(at))

    async def search(
        self, where: SearchFilter, actor: Actor, *, limit: int, offset: int
    ) -> tuple[list[EnterpriseRecord], int]:
        found, total = await self.directory.search(where, limit=limit, offset=offset)
        await self.record(actor, "list", [record.enterprise for record in found])
        return found, total

    async def record(self, actor: Actor, action: str, enterprises: list[Enterprise]) -> None:
        at, who, why = self.clock(), (actor.subject, actor.role, action), actor.correlation_id
        await self.audit.record(
            [AuditEntry(*who, e.umkm_id, e.centre_id, at, why) for e in enterprises]
        )

    async def _change(
        self, umkm_id: str, actor: Actor, action: str, apply: Callable[[Enterprise], None]
    ) -> EnterpriseRecord:
        attempted: list[EnterpriseRecord] = []

        def change(record: EnterpriseRecord) -> EnterpriseRecord:
            if not actor.can_access(record.centre_id):
                raise NotFound(umkm_id)
            apply(record.enterprise)
            attempted.append(record)
            return record

        try:
            changed = await self.records.change(umkm_id, change, Cause(actor.correlation_id))
        except DuplicateKey as refused:  # a correction took another owner's NIK, NIB or phone
            duplicate = await self.directory.duplicate(refused.index, attempted[-1])
            raise visible_duplicate(duplicate, actor) from None
        except ConcurrentUpdate:
            raise ChangeConflict(umkm_id) from None
        if changed is None:
            raise NotFound(umkm_id)
        await self.record(actor, action, [changed.enterprise])
        return changed


def visible_duplicate(duplicate: DuplicateIdentity, actor: Actor) -> Exception:
    """What the caller may be told about a taken identity."""
    if duplicate.centre_id is None or actor.can_access(duplicate.centre_id):
        return duplicate
    return IdentityHeldElsewhere(duplicate.field)
