"""Bulk registration from a CSV or XLSX file: every row checked, valid ones registered.

Each valid row goes through the same use case as a single registration
(`RegistrationHandlers.register`), so it is validated, deduplicated and
published exactly like one: a row whose NIK, NIB or phone is already stored
is reported as "already registered as <umkm_id>", and re-importing a file
creates nothing new. The names already registered in the file's villages are
looked up once for the whole file, not once per row.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from registration.adapters.directory import DuplicateIdentity
from registration.adapters.import_file import ImportRow, parse_import_file
from registration.adapters.keys import village_key
from registration.domain.centres import validate_centre_id
from registration.domain.commands import RegisterEnterprise
from registration.domain.errors import DomainValidationError
from registration.handlers import Actor, CentreNotAllowed, RegistrationHandlers, VillageNames


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    error: str


@dataclass
class ImportReport:
    rows: int = 0
    empty_rows: int = 0
    created: dict[int, str] = field(default_factory=dict)  # row -> umkm_id
    errors: list[RowError] = field(default_factory=list)
    possible_duplicates: dict[int, list[str]] = field(default_factory=dict)

    def reject(self, row: int, problems: list[tuple[str, str]]) -> None:
        self.errors.extend(RowError(row, name, message) for name, message in problems)


class BulkImporter:
    def __init__(self, handlers: RegistrationHandlers, concurrency: int = 8) -> None:
        self.handlers = handlers
        self.concurrency = concurrency

    async def run(
        self, data: bytes, filename: str, centre_id: str | None, actor: Actor
    ) -> ImportReport:
        """Raises `ImportFileError` when the file as a whole cannot be read."""
        if centre_id is not None:
            centre_id = validate_centre_id(centre_id)
            if not actor.can_access(centre_id):
                raise CentreNotAllowed(centre_id)
        # Parsing 10,000 rows takes seconds of CPU: keep the event loop serving.
        rows = await asyncio.to_thread(parse_import_file, data, filename, centre_id=centre_id)
        report = ImportReport(rows=len(rows), empty_rows=sum(row.skipped for row in rows))
        valid = self._valid(rows, actor, report)
        known = await self._known_names(valid)
        gate = asyncio.Semaphore(self.concurrency)
        await asyncio.gather(*(self._register(n, c, actor, known, gate, report) for n, c in valid))
        report.errors.sort(key=lambda error: error.row)
        return report

    def _valid(
        self, rows: list[ImportRow], actor: Actor, report: ImportReport
    ) -> list[tuple[int, RegisterEnterprise]]:
        valid = []
        for row in rows:
            if row.command is None:
                report.reject(row.row_number, row.errors)
            elif not actor.can_access(row.command.centre_id):
                report.reject(row.row_number, [("centre_id", "row belongs to another PLUT centre")])
            else:
                valid.append((row.row_number, row.command))
        return valid

    async def _known_names(self, valid: list[tuple[int, RegisterEnterprise]]) -> VillageNames:
        keys = {village_key(command.address()) for _, command in valid}
        return await self.handlers.directory.names_in_villages(sorted(k for k in keys if k))

    async def _register(
        self,
        row: int,
        command: RegisterEnterprise,
        actor: Actor,
        known: VillageNames,
        gate: asyncio.Semaphore,
        report: ImportReport,
    ) -> None:
        async with gate:
            try:
                record = await self.handlers.register(
                    command, actor, known_names=known, action="import"
                )
            except DuplicateIdentity as duplicate:
                report.reject(row, [(duplicate.field, str(duplicate))])
                return
            except DomainValidationError as error:
                report.reject(row, [(error.field, error.message)])
                return
        report.created[row] = record.umkm_id
        if record.possible_duplicates:
            report.possible_duplicates[row] = record.possible_duplicates
