"""Use cases of the registration service, as plain async methods.

Each one loads the aggregate, lets it decide, saves state and events in one
write through the repository, and records the processing in the audit trail.
They know nothing of HTTP: callers map the errors below to status codes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from plut_shared.contracts import Envelope, make_envelope, utc_now
from plut_shared.messaging import ConcurrentUpdate

from registration.adapters.audit import AuditEntry, AuditTrail
from registration.adapters.keys import village_key
from registration.adapters.repository import (
    DuplicateIdentity,
    EnterpriseRepository,
    SearchFilter,
    Stored,
)
from registration.domain.commands import (
    CorrectProfile,
    RegisterEnterprise,
    SetConsent,
    UpdateFinancials,
    enterprise_from_command,
)
from registration.domain.enterprise import Enterprise, new_umkm_id
from registration.domain.similarity import is_similar_name

SERVICE = "registration"
# Two officers changing one enterprise at the same moment: the loser reloads
# and re-applies its command; more rounds than this means something is wrong.
SAVE_ATTEMPTS = 3


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


@dataclass(frozen=True)
class Actor:
    subject: str
    role: str
    centres: frozenset[str] | None  # None: every centre
    correlation_id: str
    sees_nik: bool = False

    def can_access(self, centre_id: str) -> bool:
        return self.centres is None or centre_id in self.centres


class RegistrationHandlers:
    def __init__(
        self,
        repository: EnterpriseRepository,
        audit: AuditTrail,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.repository = repository
        self.audit = audit
        self.clock = clock

    async def register(self, command: RegisterEnterprise, actor: Actor) -> Stored:
        if not actor.can_access(command.centre_id):
            raise CentreNotAllowed(command.centre_id)
        enterprise = enterprise_from_command(command, umkm_id=new_umkm_id(), at=self.clock())
        similar = await self.similar_names(enterprise)
        try:
            await self.repository.add(enterprise, envelopes(enterprise, actor), similar)
        except DuplicateIdentity as duplicate:
            raise visible_duplicate(duplicate, actor) from None
        await self.record(actor, "register", [enterprise])
        return Stored(enterprise, similar)

    async def similar_names(self, enterprise: Enterprise) -> list[str]:
        key, name = village_key(enterprise.business.address), enterprise.business.name
        if key is None or name is None:
            return []
        found = await self.repository.names_in_villages([key], enterprise.centre_id)
        return [umkm_id for umkm_id, other in found.get(key, []) if is_similar_name(name, other)]

    async def read(self, umkm_id: str, actor: Actor, action: str = "read") -> Stored:
        stored = await self._load(umkm_id, actor)
        await self.record(actor, action, [stored.enterprise])
        return stored

    async def export(self, umkm_id: str, actor: Actor) -> dict[str, Any]:
        return (await self.read(umkm_id, actor, "export")).enterprise.export()

    async def update_financials(
        self, umkm_id: str, command: UpdateFinancials, actor: Actor
    ) -> Stored:
        today = command.effective_date or self.clock().date()
        return await self._change(
            umkm_id,
            actor,
            "update_financials",
            lambda e: e.update_financials(
                capital=command.capital, annual_sales=command.annual_sales, today=today
            ),
        )

    async def correct(self, umkm_id: str, command: CorrectProfile, actor: Actor) -> Stored:
        changes = command.changes()
        return await self._change(umkm_id, actor, "correct", lambda e: e.correct(**changes))

    async def set_consent(self, umkm_id: str, command: SetConsent, actor: Actor) -> Stored:
        at = self.clock()
        return await self._change(
            umkm_id,
            actor,
            "set_consent",
            lambda e: e.set_consent(command.purpose, command.granted, command.source, at),
        )

    async def erase(self, umkm_id: str, actor: Actor) -> Stored:
        at = self.clock()
        return await self._change(umkm_id, actor, "erase", lambda e: e.erase(at))

    async def search(
        self, where: SearchFilter, actor: Actor, *, limit: int, offset: int
    ) -> tuple[list[Stored], int]:
        found, total = await self.repository.search(where, limit=limit, offset=offset)
        await self.record(actor, "list", [stored.enterprise for stored in found])
        return found, total

    async def record(self, actor: Actor, action: str, enterprises: list[Enterprise]) -> None:
        at, who, why = self.clock(), (actor.subject, actor.role, action), actor.correlation_id
        await self.audit.record(
            [AuditEntry(*who, e.umkm_id, e.centre_id, at, why) for e in enterprises]
        )

    async def _load(self, umkm_id: str, actor: Actor) -> Stored:
        stored = await self.repository.get(umkm_id)
        if stored is None or not actor.can_access(stored.enterprise.centre_id):
            raise NotFound(umkm_id)
        return stored

    async def _change(
        self, umkm_id: str, actor: Actor, action: str, apply: Callable[[Enterprise], None]
    ) -> Stored:
        for _ in range(SAVE_ATTEMPTS):
            stored = await self._load(umkm_id, actor)
            expected = stored.enterprise.version
            apply(stored.enterprise)
            events = envelopes(stored.enterprise, actor)
            if events:  # nothing changed: nothing to write, nothing to publish
                try:
                    await self.repository.save(stored.enterprise, expected, events)
                except ConcurrentUpdate:
                    continue
                except DuplicateIdentity as duplicate:
                    raise visible_duplicate(duplicate, actor) from None
            await self.record(actor, action, [stored.enterprise])
            return stored
        raise ChangeConflict(umkm_id)


def visible_duplicate(duplicate: DuplicateIdentity, actor: Actor) -> Exception:
    """What the caller may be told about a taken identity."""
    if duplicate.centre_id is None or actor.can_access(duplicate.centre_id):
        return duplicate
    return IdentityHeldElsewhere(duplicate.field)


def envelopes(enterprise: Enterprise, actor: Actor) -> list[Envelope]:
    return [
        make_envelope(
            payload,
            producer=SERVICE,
            centre_id=enterprise.centre_id,
            subject_id=enterprise.umkm_id,
            correlation_id=actor.correlation_id,
        )
        for payload in enterprise.pull_events()
    ]
