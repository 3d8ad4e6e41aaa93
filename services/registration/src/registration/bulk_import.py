"""Bulk registration from a CSV or XLSX file: every row checked, valid ones registered.

Re-importing a file creates nothing new: a row whose NIK, NIB or phone is
already stored is reported as "already registered as <umkm_id>". Stored
identities and village names are looked up for the whole file in a few
queries, not row by row; each enterprise still gets its own insert carrying
its own outbox event, so no event depends on a batch that may half-fail.

Every import ends with its report stored and its audit entries written,
whatever a row holds: a row that cannot be stored is rejected, not fatal.
CPU work (parsing, building enterprises, comparing names, the report) runs
in threads, so the service keeps answering while a big file is imported.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from plut_shared.contracts import new_event_id

from registration.adapters.import_file import ImportLimits, ImportRow, parse_import_file
from registration.adapters.import_reports import ImportReports, ReportSummary
from registration.adapters.keys import KEY_FIELD, identity_keys, village_key
from registration.adapters.repository import DuplicateIdentity, Holder
from registration.domain.centres import validate_centre_id
from registration.domain.commands import enterprise_from_command
from registration.domain.enterprise import Enterprise, new_umkm_id
from registration.domain.errors import DomainValidationError
from registration.domain.similarity import is_similar_name
from registration.handlers import (
    Actor,
    CentreNotAllowed,
    IdentityHeldElsewhere,
    NotFound,
    RegistrationHandlers,
    envelopes,
    visible_duplicate,
)
from registration.import_report import ImportReport

log = logging.getLogger(__name__)
FIELD_OF_KEY = {key_field: name for name, key_field in KEY_FIELD.items()}
Built = list[tuple[int, Enterprise]]


class BulkImporter:
    def __init__(
        self,
        handlers: RegistrationHandlers,
        reports: ImportReports,
        concurrency: int = 8,
        limits: ImportLimits = ImportLimits(),  # noqa: B008  # frozen, so sharing it is safe
    ) -> None:
        self.handlers = handlers
        self.reports = reports
        self.concurrency = concurrency
        self.limits = limits

    async def run(
        self, data: bytes, filename: str, centre_id: str | None, actor: Actor
    ) -> ImportReport:
        """Raises `ImportFileError` when the file as a whole cannot be read."""
        if centre_id is not None:
            centre_id = validate_centre_id(centre_id)
            if not actor.can_access(centre_id):
                raise CentreNotAllowed(centre_id)
        rows = await asyncio.to_thread(
            parse_import_file, data, filename, centre_id=centre_id, limits=self.limits
        )
        report = ImportReport(new_event_id(), rows=len(rows))
        report.empty_rows = sum(row.skipped for row in rows)
        fresh: Built = []
        try:
            fresh = await self._register(rows, actor, report)
        finally:
            created = [e for row, e in fresh if row in report.created]
            await self.handlers.record(actor, "import", created)
            await self._save(report, actor)
        return report

    async def outcomes(
        self, import_id: str, actor: Actor, *, offset: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of an import's row outcomes, and how many there are; for its importer or
        an admin only: to anyone else the import looks absent."""
        summary = await self.reports.summary(import_id)
        if summary is None or (actor.subject != summary.subject and actor.role != "admin"):
            raise NotFound(import_id)
        rows = await self.reports.outcomes(import_id, offset=offset, limit=limit)
        return rows, summary.outcomes

    async def _register(self, rows: list[ImportRow], actor: Actor, report: ImportReport) -> Built:
        built = await asyncio.to_thread(self._built, rows, actor, report)
        fresh = await self._not_yet_stored(built, report, actor)
        similar = await self._similar(fresh)
        gate = asyncio.Semaphore(self.concurrency)
        await asyncio.gather(
            *(self._insert(row, e, similar.get(row, []), actor, gate, report) for row, e in fresh)
        )
        report.possible_duplicates = {r: ids for r, ids in similar.items() if r in report.created}
        return fresh

    async def _save(self, report: ImportReport, actor: Actor) -> None:
        outcomes = await asyncio.to_thread(_finished, report)
        summary = ReportSummary(
            report.import_id, actor.subject, self.handlers.clock(), len(outcomes)
        )
        await self.reports.save(summary, outcomes)

    def _built(self, rows: list[ImportRow], actor: Actor, report: ImportReport) -> Built:
        at = self.handlers.clock()
        built: Built = []
        for row in rows:
            if row.command is None:
                report.reject(row.row_number, row.errors)
            elif not actor.can_access(row.command.centre_id):
                report.reject(row.row_number, [("centre_id", "row belongs to another PLUT centre")])
            else:
                try:
                    enterprise = enterprise_from_command(row.command, umkm_id=new_umkm_id(), at=at)
                except DomainValidationError as error:
                    report.reject(row.row_number, [(error.field, error.message)])
                else:
                    built.append((row.row_number, enterprise))
        return built

    async def _not_yet_stored(self, built: Built, report: ImportReport, actor: Actor) -> Built:
        keys = await asyncio.to_thread(lambda: {row: identity_keys(e) for row, e in built})
        wanted: dict[str, list[str]] = {key_field: [] for key_field in FIELD_OF_KEY}
        for row_keys in keys.values():
            for key_field, digest in row_keys.items():
                wanted[key_field].append(digest)
        holders = await self.handlers.repository.holders(wanted)
        fresh = []
        for row, enterprise in built:
            taken = [
                _taken(FIELD_OF_KEY[k], holders[(k, d)], actor)
                for k, d in keys[row].items()
                if (k, d) in holders
            ]
            if taken:
                report.reject(row, taken)
            else:
                fresh.append((row, enterprise))
        return fresh

    async def _similar(self, fresh: Built) -> dict[int, list[str]]:
        """Row -> ids of the same centre's stored or earlier-row enterprises with a similar
        name in the row's village."""
        places = {row: _place(e) for row, e in fresh}
        known: dict[str, list[tuple[str, str]]] = {}
        for centre_id in sorted({e.centre_id for _, e in fresh}):
            villages = sorted({p[1] for p in places.values() if p and p[0] == centre_id})
            found = await self.handlers.repository.names_in_villages(villages, centre_id)
            known.update({f"{centre_id}|{village}": names for village, names in found.items()})
        return await asyncio.to_thread(_similar_rows, fresh, places, known)

    async def _insert(
        self,
        row: int,
        enterprise: Enterprise,
        similar: list[str],
        actor: Actor,
        gate: asyncio.Semaphore,
        report: ImportReport,
    ) -> None:
        async with gate:
            try:
                await self.handlers.repository.add(
                    enterprise, envelopes(enterprise, actor), similar
                )
            except DuplicateIdentity as duplicate:
                # Registered by someone else between our look-up and this insert.
                report.reject(row, [(duplicate.field, str(visible_duplicate(duplicate, actor)))])
                return
            except Exception as error:
                # The type only: a store's message may quote the values it refused.
                log.error("an import row could not be stored: %s", type(error).__name__)
                report.reject(row, [("row", "the row could not be stored; import it again")])
                return
        report.created[row] = enterprise.umkm_id


def _finished(report: ImportReport) -> list[dict[str, Any]]:
    report.errors.sort(key=lambda error: error.row)
    return report.outcomes()


def _taken(field: str, holder: Holder, actor: Actor) -> tuple[str, str]:
    if actor.can_access(holder.centre_id):
        return field, f"{field} already registered as {holder.umkm_id}"
    return field, str(IdentityHeldElsewhere(field))


def _place(enterprise: Enterprise) -> tuple[str, str] | None:
    """(centre, village key): similar names are looked for within one centre only."""
    village = village_key(enterprise.business.address)
    return None if village is None else (enterprise.centre_id, village)


def _similar_rows(
    fresh: Built,
    places: dict[int, tuple[str, str] | None],
    known: dict[str, list[tuple[str, str]]],
) -> dict[int, list[str]]:
    similar: dict[int, list[str]] = {}
    for row, enterprise in fresh:
        place, name = places[row], enterprise.business.name
        if place is None or name is None:
            continue
        neighbours = known.setdefault("|".join(place), [])
        found = [umkm_id for umkm_id, other in neighbours if is_similar_name(name, other)]
        if found:
            similar[row] = found
        neighbours.append((enterprise.umkm_id, name))
    return similar
