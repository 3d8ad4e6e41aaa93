"""Metrics of bulk imports: jobs started and ended, rows created and rejected, jobs held.

Counted by the process that runs the job, when it starts and when it ends
(its report's counts then); a job a replica marks failed after its runner
died counts as failed there, with no rows (they were counted nowhere, or by
the runner before it died). No label names a file, a centre or a person.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge


class ImportMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        registry = registry if registry is not None else CollectorRegistry()
        self._started = Counter(
            "plut_registration_import_jobs_started",
            "Import jobs accepted (202) by this process.",
            registry=registry,
        )
        self._ended = Counter(
            "plut_registration_import_jobs_ended",
            "Import jobs that ended, by state: done or failed.",
            ["state"],
            registry=registry,
        )
        self._rows = Counter(
            "plut_registration_import_rows",
            "Rows of ended import jobs, by outcome: created or rejected.",
            ["outcome"],
            registry=registry,
        )
        self._held = Gauge(
            "plut_registration_import_jobs_held",
            "Import jobs this process holds, running or queued.",
            registry=registry,
        )

    def started(self) -> None:
        self._started.inc()

    def ended(self, state: str, *, created: int, rejected: int) -> None:
        self._ended.labels(state).inc()
        self._rows.labels("created").inc(created)
        self._rows.labels("rejected").inc(rejected)

    def count_held(self, count: Callable[[], int]) -> None:
        self._held.set_function(count)
