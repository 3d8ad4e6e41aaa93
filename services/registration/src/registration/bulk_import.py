"""Bulk registration from a CSV or XLSX file: every row checked, valid ones registered.

Each valid row goes through the registration use case
(`RegistrationHandlers.add_new`), so it is validated, deduplicated and stored
with its own `registered` event in one write, exactly like a single
registration: a row whose NIK, NIB or phone is already stored is reported as
"already registered as <umkm_id>" (or, for another centre's enterprise,
without its id), and re-importing a file creates nothing new. The names
already registered in the file's villages are looked up once per centre for
the whole file, not once per row.

Rows are registered a chunk at a time in file order, `concurrency` rows at
once; after each chunk comes one checkpoint: the audit entries of the chunk's
enterprises in one write, the chunk's row outcomes appended to the report,
the counts handed to `progress`. A row that cannot be stored is rejected, not
fatal. Parsing runs in a thread, so the service keeps answering meanwhile; the
whole file is read before any row is registered, so a file that turns out
unreadable halfway creates nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from registration.adapters.directory import DuplicateIdentity
from registration.adapters.import_file import (
    ImportLimits,
    ImportRow,
    check_import_file,
    parse_import_file,
)
from registration.adapters.keys import village_key
from registration.domain.centres import validate_centre_id
from registration.domain.commands import RegisterEnterprise
from registration.domain.enterprise import Enterprise
from registration.domain.errors import DomainValidationError
from registration.handlers import (
    Actor,
    CentreNotAllowed,
    IdentityHeldElsewhere,
    RegistrationHandlers,
    VillageNames,
)
from registration.import_report import ImportReport

log = logging.getLogger(__name__)

# Rows per checkpoint: few enough that a stop or a crash loses little progress,
# many enough that the audit and report writes per chunk cost little.
CHUNK_ROWS = 250
Progress = Callable[[ImportReport, int], Awaitable[None]]  # the report, outcomes stored


class ImportInterrupted(Exception):
    """The service is stopping: the import ended after its last checkpoint."""


class ReportWriter(Protocol):
    saved: int

    async def add(self, outcomes: list[dict[str, object]]) -> None: ...


class BulkImporter:
    def __init__(
        self,
        handlers: RegistrationHandlers,
        concurrency: int = 8,
        limits: ImportLimits = ImportLimits(),  # noqa: B008  # frozen, so sharing it is safe
        chunk_rows: int = CHUNK_ROWS,
    ) -> None:
        self.handlers = handlers
        self.concurrency = concurrency
        self.limits = limits
        self.chunk_rows = chunk_rows

    def check(self, data: bytes, filename: str, centre_id: str | None, actor: Actor) -> None:
        """The checks an upload gets at once (CPU work: call it in a thread). Raises
        `CentreNotAllowed`, `DomainValidationError` or `ImportFileError`."""
        if centre_id is not None:
            centre_id = validate_centre_id(centre_id)
            if not actor.can_access(centre_id):
                raise CentreNotAllowed(centre_id)
        check_import_file(data, filename, centre_id=centre_id, limits=self.limits)

    async def run(
        self,
        report: ImportReport,
        data: bytes,
        filename: str,
        centre_id: str | None,
        actor: Actor,
        writer: ReportWriter,
        *,
        progress: Progress | None = None,
        stopping: Callable[[], bool] = lambda: False,
    ) -> ImportReport:
        """Raises `ImportFileError` when the file as a whole cannot be read, and
        `ImportInterrupted` at the first checkpoint after `stopping()` turned true."""
        rows = await asyncio.to_thread(
            parse_import_file, data, filename, centre_id=centre_id, limits=self.limits
        )
        report.rows, report.empty_rows = len(rows), sum(row.skipped for row in rows)
        known = await self._known_names(rows, actor)
        if progress is not None:  # the officer learns how many rows there are
            await progress(report, writer.saved)
        gate = asyncio.Semaphore(self.concurrency)
        for start in range(0, len(rows), self.chunk_rows):
            if stopping():
                raise ImportInterrupted
            chunk = rows[start : start + self.chunk_rows]
            created = await self._register_chunk(chunk, actor, known, gate, report)
            await self.handlers.record(actor, "import", created)
            await writer.add(report.outcomes(row.row_number for row in chunk))
            report.rows_done += len(chunk)
            if progress is not None:
                await progress(report, writer.saved)
        return report

    async def _known_names(self, rows: list[ImportRow], actor: Actor) -> dict[str, VillageNames]:
        """Centre -> the names registered in the file's villages there (one centre's only)."""
        villages: dict[str, set[str]] = {}
        for row in rows:
            if row.command is not None and actor.can_access(row.command.centre_id):
                key = village_key(row.command.address())
                if key is not None:
                    villages.setdefault(row.command.centre_id, set()).add(key)
        directory = self.handlers.directory
        return {
            centre: await directory.names_in_villages(sorted(keys), centre)
            for centre, keys in villages.items()
        }

    async def _register_chunk(
        self,
        chunk: list[ImportRow],
        actor: Actor,
        known: dict[str, VillageNames],
        gate: asyncio.Semaphore,
        report: ImportReport,
    ) -> list[Enterprise]:
        registering = []
        for row in chunk:
            if row.command is None:
                if row.errors:
                    report.reject(row.row_number, row.errors)
            elif not actor.can_access(row.command.centre_id):
                report.reject(row.row_number, [("centre_id", "row belongs to another PLUT centre")])
            else:
                registering.append(
                    self._register(row.row_number, row.command, actor, known, gate, report)
                )
        stored = await asyncio.gather(*registering)
        return [enterprise for enterprise in stored if enterprise is not None]

    async def _register(
        self,
        row: int,
        command: RegisterEnterprise,
        actor: Actor,
        known: dict[str, VillageNames],
        gate: asyncio.Semaphore,
        report: ImportReport,
    ) -> Enterprise | None:
        names = known.setdefault(command.centre_id, {})
        async with gate:
            try:
                record = await self.handlers.add_new(command, actor, known_names=names)
            except (DuplicateIdentity, IdentityHeldElsewhere) as taken:
                report.reject(row, [(taken.field, str(taken))])
                return None
            except DomainValidationError as error:
                report.reject(row, [(error.field, error.message)])
                return None
            except Exception as error:
                # The type only: a store's message may quote the values it refused.
                log.error("an import row could not be stored: %s", type(error).__name__)
                report.reject(row, [("row", "the row could not be stored; import it again")])
                return None
        report.created[row] = record.umkm_id
        if record.possible_duplicates:
            report.possible_duplicates[row] = record.possible_duplicates
        return record.enterprise
