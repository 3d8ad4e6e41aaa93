"""Bulk imports as jobs of the service process: the upload answers at once, the job works.

`submit` runs the checks of the whole file that cost little (see
`BulkImporter.check`), stores the job as queued and starts it as a task the
service tracks; at most `jobs_at_once` run at a time, the rest wait queued,
and past `WAITING_PER_SLOT` times as many jobs an upload is refused
(`ImportsBusy`), since each job keeps its file in memory until it ends.
The job document shows its progress after every chunk (see `bulk_import`).

Restarts: a job is never resumed (the upload is not kept); it is marked
failed, and importing the same file again finishes the work, since rows
already stored are reported as already registered and nothing is created
twice. On a graceful stop each job ends at its next checkpoint and is marked
failed at once, its report holding every row finished. A process that dies
leaves its job's lease to expire (`lease_s`, renewed every third of it); then
any replica marks the job failed, its report holding the rows of every
checkpoint before the crash.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from plut_shared.background import BackgroundLoop
from plut_shared.contracts import new_event_id, utc_now

from registration.adapters.directory import EnterpriseDirectory
from registration.adapters.import_file import ImportFileError
from registration.adapters.import_leases import ImportLeases
from registration.adapters.import_reports import DONE, FAILED, RUNNING, ImportJob, ImportReports
from registration.bulk_import import BulkImporter, ImportInterrupted
from registration.handlers import Actor, NotFound
from registration.import_metrics import ImportMetrics
from registration.import_publication import PublicationTracker
from registration.import_report import ImportReport

log = logging.getLogger(__name__)

INTERRUPTED = (
    "the import was interrupted because the service stopped; import the same file again: "
    "rows already stored are reported as already registered, none is created twice"
)
UNEXPECTED = "the import stopped on an unexpected error; import the same file again"
STOP_WAIT_S = 30.0  # a stopping job finishes its chunk; past this it is cancelled
WAITING_PER_SLOT = 4  # jobs a process holds (each with its upload in memory) per running one


class ImportsBusy(Exception):
    """This process holds as many import jobs as it may; the upload should come later."""


TRACKER_IDLE_S = 600.0  # events of jobs nobody polls for this long are no longer counted


class ImportJobs:
    def __init__(
        self,
        importer: BulkImporter,
        reports: ImportReports,
        leases: ImportLeases,
        directory: EnterpriseDirectory,
        *,
        lease_s: float = 60.0,
        jobs_at_once: int = 2,
        clock: Callable[[], datetime] = utc_now,
        metrics: ImportMetrics | None = None,
    ) -> None:
        self._metrics = metrics or ImportMetrics()
        self.importer, self.reports, self.leases = importer, reports, leases
        self._directory = directory
        self._lease = timedelta(seconds=lease_s)
        self._slots = asyncio.Semaphore(jobs_at_once)
        self._most_held = jobs_at_once * WAITING_PER_SLOT
        self._clock = clock
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._trackers: dict[str, PublicationTracker] = {}
        self._stopping = False
        self._watch = BackgroundLoop("import-jobs", self._renew_and_reap, interval=lease_s / 3)
        self._metrics.count_held(lambda: len(self._tasks))

    @property
    def stopping(self) -> bool:
        return self._stopping

    async def start(self) -> None:
        self._watch.start()  # its first round marks the jobs of a dead process failed

    async def stop(self) -> None:
        self._stopping = True
        if self._tasks:
            await asyncio.wait(list(self._tasks.values()), timeout=STOP_WAIT_S)
        for task in list(self._tasks.values()):
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        await self._watch.stop()

    async def submit(
        self, data: bytes, filename: str, centre_id: str | None, actor: Actor
    ) -> ImportJob:
        if len(self._tasks) >= self._most_held:
            raise ImportsBusy
        await asyncio.to_thread(self.importer.check, data, filename, centre_id, actor)
        now = self._clock()
        job = ImportJob(new_event_id(), actor.subject, now, updated_at=now)
        await self.leases.hold(job.import_id, now + self._lease)
        await self.reports.create(job)
        self._trackers[job.import_id] = PublicationTracker(self._directory)
        run = self._run(job.import_id, data, filename, centre_id, actor)
        self._tasks[job.import_id] = asyncio.create_task(run, name=f"import-{job.import_id}")
        self._metrics.started()
        return job

    async def status(self, import_id: str, actor: Actor) -> ImportJob:
        job = await self._visible(import_id, actor)
        tracker = self._trackers.get(import_id)
        if job.created == job.events_published or (tracker is None and not job.finished):
            return job  # running elsewhere: that replica counts
        if tracker is None:
            tracker = self._trackers[import_id] = PublicationTracker(self._directory)
            tracker.follow(await self.reports.created_ids(job))
        published = await tracker.refresh()
        if published > job.events_published:
            await self.reports.update(import_id, events_published=published)
            job = dataclasses.replace(job, events_published=published)
        return job

    async def rows(
        self, import_id: str, actor: Actor, *, offset: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        job = await self._visible(import_id, actor)
        return await self.reports.outcomes(import_id, offset=offset, limit=limit), job.outcomes

    async def _visible(self, import_id: str, actor: Actor) -> ImportJob:
        """The job, for its importer or an admin; to anyone else it looks absent."""
        job = await self.reports.job(import_id)
        if job is None or (actor.subject != job.subject and actor.role != "admin"):
            raise NotFound(import_id)
        return job

    async def _run(
        self, import_id: str, data: bytes, filename: str, centre_id: str | None, actor: Actor
    ) -> None:
        report = ImportReport(import_id)
        try:
            async with self._slots:
                if self._stopping:
                    raise ImportInterrupted
                await self.reports.update(import_id, state=RUNNING, updated_at=self._clock())
                writer = self.reports.writer(import_id)
                await self.importer.run(
                    report, data, filename, centre_id, actor, writer,
                    progress=self._progress, stopping=lambda: self._stopping,
                )  # fmt: skip
            await self._finish(report, DONE, None)
        except ImportFileError as unreadable:
            await self._finish(report, FAILED, str(unreadable))
        except ImportInterrupted:
            await self._finish(report, FAILED, INTERRUPTED)
        except asyncio.CancelledError:
            await self._finish(report, FAILED, INTERRUPTED)
            raise
        except Exception as error:
            log.error("import %s failed: %s", import_id, type(error).__name__)
            await self._finish(report, FAILED, UNEXPECTED)
        finally:
            self._tasks.pop(import_id, None)

    async def _progress(self, report: ImportReport, outcomes: int) -> None:
        tracker = self._trackers.get(report.import_id)
        if tracker is not None:
            tracker.follow(report.created.values())
        await self.reports.update(
            report.import_id,
            state=RUNNING,
            rows=report.rows,
            rows_done=report.rows_done,
            created=len(report.created),
            rejected=report.rejected,
            empty_rows=report.empty_rows,
            outcomes=outcomes,
            updated_at=self._clock(),
        )

    async def _finish(self, report: ImportReport, state: str, error: str | None) -> None:
        import_id, now = report.import_id, self._clock()
        self._metrics.ended(state, created=len(report.created), rejected=report.rejected)
        try:
            await self.reports.update(
                import_id, state=state, error=error, finished_at=now, updated_at=now
            )
            await self.leases.release(import_id)
        except Exception as failure:  # the lease expires, and a replica marks it failed
            log.error("import %s: its end was not recorded: %s", import_id, type(failure).__name__)
        log.info("import %s %s", import_id, state)

    async def _renew_and_reap(self) -> None:
        now = self._clock()
        await self.leases.renew(list(self._tasks), now + self._lease)
        for import_id in await self.leases.expired(now):
            if import_id in self._tasks:
                continue
            job = await self.reports.job(import_id)
            if job is not None and not job.finished:
                log.warning("import %s lost its runner; marked failed", import_id)
                self._metrics.ended(FAILED, created=0, rejected=0)
                await self.reports.update(
                    import_id, state=FAILED, error=INTERRUPTED, finished_at=now, updated_at=now
                )
            await self.leases.release(import_id)
        for import_id, tracker in list(self._trackers.items()):
            if import_id not in self._tasks and tracker.idle_for > TRACKER_IDLE_S:
                del self._trackers[import_id]
