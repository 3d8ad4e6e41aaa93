"""Bulk registration from a CSV or XLSX file: every row checked, valid ones registered.

Re-importing a file creates nothing new: a row whose NIK, NIB or phone is
already stored is reported as "already registered as <umkm_id>". Stored
identities and village names are looked up for the whole file in a few
queries, not row by row; each enterprise still gets its own insert carrying
its own outbox event, so no event depends on a batch that may half-fail.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from registration.adapters.import_file import ImportRow, parse_import_file
from registration.adapters.keys import KEY_FIELD, identity_keys, village_key
from registration.adapters.repository import DuplicateIdentity
from registration.domain.centres import validate_centre_id
from registration.domain.commands import enterprise_from_command
from registration.domain.enterprise import Enterprise, new_umkm_id
from registration.domain.errors import DomainValidationError
from registration.domain.similarity import is_similar_name
from registration.handlers import Actor, CentreNotAllowed, RegistrationHandlers, envelopes

FIELD_OF_KEY = {key_field: name for name, key_field in KEY_FIELD.items()}


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
        fresh = await self._not_yet_stored(self._built(rows, actor, report), report)
        similar = await self._similar(fresh)
        gate = asyncio.Semaphore(self.concurrency)
        await asyncio.gather(
            *(self._insert(row, e, similar.get(row, []), actor, gate, report) for row, e in fresh)
        )
        created = [e for row, e in fresh if row in report.created]
        await self.handlers.record(actor, "import", created)
        report.errors.sort(key=lambda error: error.row)
        report.possible_duplicates = {r: ids for r, ids in similar.items() if r in report.created}
        return report

    def _built(
        self, rows: list[ImportRow], actor: Actor, report: ImportReport
    ) -> list[tuple[int, Enterprise]]:
        at = self.handlers.clock()
        built: list[tuple[int, Enterprise]] = []
        for row in rows:
            if row.command is None:
                report.reject(row.row_number, row.errors)
            elif not actor.can_access(row.command.centre_id):
                report.reject(row.row_number, [("centre_id", "row belongs to another PLUT centre")])
            else:
                try:
                    built.append(
                        (
                            row.row_number,
                            enterprise_from_command(row.command, umkm_id=new_umkm_id(), at=at),
                        )
                    )
                except DomainValidationError as error:
                    report.reject(row.row_number, [(error.field, error.message)])
        return built

    async def _not_yet_stored(
        self, built: list[tuple[int, Enterprise]], report: ImportReport
    ) -> list[tuple[int, Enterprise]]:
        keys = {row: identity_keys(e) for row, e in built}
        wanted: dict[str, list[str]] = {key_field: [] for key_field in FIELD_OF_KEY}
        for row_keys in keys.values():
            for key_field, digest in row_keys.items():
                wanted[key_field].append(digest)
        holders = await self.handlers.repository.holders(wanted)
        fresh = []
        for row, enterprise in built:
            taken = [
                (FIELD_OF_KEY[k], f"{FIELD_OF_KEY[k]} already registered as {holders[(k, d)]}")
                for k, d in keys[row].items()
                if (k, d) in holders
            ]
            if taken:
                report.reject(row, taken)
            else:
                fresh.append((row, enterprise))
        return fresh

    async def _similar(self, fresh: list[tuple[int, Enterprise]]) -> dict[int, list[str]]:
        """Row -> ids of stored or earlier-row enterprises with a similar name in its village."""
        places = {row: village_key(e.business.address) for row, e in fresh}
        wanted = sorted({key for key in places.values() if key is not None})
        known = await self.handlers.repository.names_in_villages(wanted)
        similar: dict[int, list[str]] = {}
        for row, enterprise in fresh:
            key, name = places[row], enterprise.business.name
            if key is None or name is None:
                continue
            neighbours = known.setdefault(key, [])
            found = [umkm_id for umkm_id, other in neighbours if is_similar_name(name, other)]
            if found:
                similar[row] = found
            neighbours.append((enterprise.umkm_id, name))
        return similar

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
                report.reject(row, [(duplicate.field, str(duplicate))])
                return
        report.created[row] = enterprise.umkm_id
