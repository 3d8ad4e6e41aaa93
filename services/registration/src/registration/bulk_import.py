"""Bulk registration from a CSV or XLSX file: every row checked, valid ones registered.

Each valid row goes through the same use case as a single registration
(`RegistrationHandlers.register`), so it is validated, deduplicated, audited
and published exactly like one: a row whose NIK, NIB or phone is already
stored is reported as "already registered as <umkm_id>" (or, for another
centre's enterprise, without its id), and re-importing a file creates nothing
new. The names already registered in the file's villages are looked up once
per centre for the whole file, not once per row.

Every import ends with its report stored, whatever a row holds: a row that
cannot be stored is rejected, not fatal. Parsing and building the report run
in threads, so the service keeps answering while a big file is imported.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from plut_shared.contracts import new_event_id

from registration.adapters.directory import DuplicateIdentity
from registration.adapters.import_file import ImportLimits, ImportRow, parse_import_file
from registration.adapters.import_reports import ImportReports, ReportSummary
from registration.adapters.keys import village_key
from registration.domain.centres import validate_centre_id
from registration.domain.commands import RegisterEnterprise
from registration.domain.errors import DomainValidationError
from registration.handlers import (
    Actor,
    CentreNotAllowed,
    IdentityHeldElsewhere,
    NotFound,
    RegistrationHandlers,
    VillageNames,
)
from registration.import_report import ImportReport

log = logging.getLogger(__name__)
Valid = list[tuple[int, RegisterEnterprise]]


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
        try:
            valid = self._valid(rows, actor, report)
            known = await self._known_names(valid)
            gate = asyncio.Semaphore(self.concurrency)
            await asyncio.gather(
                *(self._register(n, c, actor, known, gate, report) for n, c in valid)
            )
        finally:
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

    def _valid(self, rows: list[ImportRow], actor: Actor, report: ImportReport) -> Valid:
        valid = []
        for row in rows:
            if row.command is None:
                report.reject(row.row_number, row.errors)
            elif not actor.can_access(row.command.centre_id):
                report.reject(row.row_number, [("centre_id", "row belongs to another PLUT centre")])
            else:
                valid.append((row.row_number, row.command))
        return valid

    async def _known_names(self, valid: Valid) -> dict[str, VillageNames]:
        """Centre -> the names registered in the file's villages there (one centre's only)."""
        villages: dict[str, set[str]] = {}
        for _, command in valid:
            key = village_key(command.address())
            if key is not None:
                villages.setdefault(command.centre_id, set()).add(key)
        directory = self.handlers.directory
        return {
            centre: await directory.names_in_villages(sorted(keys), centre)
            for centre, keys in villages.items()
        }

    async def _register(
        self,
        row: int,
        command: RegisterEnterprise,
        actor: Actor,
        known: dict[str, VillageNames],
        gate: asyncio.Semaphore,
        report: ImportReport,
    ) -> None:
        names = known.setdefault(command.centre_id, {})
        async with gate:
            try:
                record = await self.handlers.register(
                    command, actor, known_names=names, action="import"
                )
            except (DuplicateIdentity, IdentityHeldElsewhere) as taken:
                report.reject(row, [(taken.field, str(taken))])
                return
            except DomainValidationError as error:
                report.reject(row, [(error.field, error.message)])
                return
            except Exception as error:
                # The type only: a store's message may quote the values it refused.
                log.error("an import row could not be stored: %s", type(error).__name__)
                report.reject(row, [("row", "the row could not be stored; import it again")])
                return
        report.created[row] = record.umkm_id
        if record.possible_duplicates:
            report.possible_duplicates[row] = record.possible_duplicates

    async def _save(self, report: ImportReport, actor: Actor) -> None:
        outcomes = await asyncio.to_thread(_finished, report)
        summary = ReportSummary(
            report.import_id, actor.subject, self.handlers.clock(), len(outcomes)
        )
        await self.reports.save(summary, outcomes)


def _finished(report: ImportReport) -> list[dict[str, Any]]:
    report.errors.sort(key=lambda error: error.row)
    return report.outcomes()
